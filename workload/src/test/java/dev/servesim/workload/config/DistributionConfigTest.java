package dev.servesim.workload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.servesim.api.ServesimException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionConfigTest {

    private static DistributionConfig bind(String json) throws Exception {
        return ConfigBinding.bind(json, DistributionConfig.class);
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable cause = thrown;
        while (!(cause instanceof ServesimException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void everyFamilyBindsWithItsOwnKeys() throws Exception {
        assertThat(bind("{'type': 'constant', 'value': 512}").value()).isEqualTo(512.0);
        assertThat(bind("{'type': 'exponential', 'mean': 2.5}").mean()).isEqualTo(2.5);
        DistributionConfig gamma = bind("{'type': 'gamma', 'shape': 2, 'scale': 3}");
        assertThat(gamma.shape()).isEqualTo(2.0);
        assertThat(gamma.scale()).isEqualTo(3.0);
        assertThat(bind("{'type': 'weibull', 'shape': 1.5, 'scale': 10}").shape()).isEqualTo(1.5);
        DistributionConfig lognormal = bind("{'type': 'lognormal', 'mean': 500, 'stddev': 200}");
        assertThat(lognormal.mean()).isEqualTo(500.0);
        assertThat(lognormal.stddev()).isEqualTo(200.0);
        assertThat(bind("{'type': 'pareto', 'shape': 3, 'scale': 100}").scale()).isEqualTo(100.0);
        DistributionConfig uniform = bind("{'type': 'uniform', 'min': 10, 'max': 20}");
        assertThat(uniform.min()).isEqualTo(10.0);
        assertThat(uniform.max()).isEqualTo(20.0);
        assertThat(bind("{'type': 'normal', 'mean': -1, 'stddev': 0}").mean()).isEqualTo(-1.0);
        DistributionConfig empirical = bind("{'type': 'empirical', 'values': [1, 2, 3], 'weights': [1, 0, 2]}");
        assertThat(empirical.values()).containsExactly(1.0, 2.0, 3.0);
        assertThat(empirical.weights()).containsExactly(1.0, 0.0, 2.0);
        DistributionConfig csv = bind("{'type': 'empirical', 'csv': 'lengths.csv', 'column': 'prompt'}");
        assertThat(csv.csv()).isEqualTo("lengths.csv");
        assertThat(csv.column()).isEqualTo("prompt");
        DistributionConfig mixture = bind("{'type': 'mixture', 'components': ["
                + "{'weight': 0.7, 'type': 'constant', 'value': 100},"
                + "{'weight': 0.3, 'type': 'mixture', 'components': [{'weight': 1, 'type': 'exponential', 'mean': 4}]}"
                + "]}");
        assertThat(mixture.components()).hasSize(2);
        assertThat(mixture.components().get(1).components().get(0).mean()).isEqualTo(4.0);
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        assertThatThrownBy(() -> new DistributionConfig("zipf", null, null, null, null, null, null, null, null, null,
                null, null, null, null))
                .hasMessage("type: unknown 'zipf'; known types: constant, exponential, gamma, weibull, lognormal, "
                        + "pareto, uniform, normal, mixture, empirical");
        assertThatThrownBy(() -> bind("{'mean': 3}"))
                .isInstanceOf(ValueInstantiationException.class)
                .satisfies(e -> assertThat(rootCause(e)).hasMessageStartingWith("type: is required"));
    }

    @Test
    void aParameterOfAnotherFamilyIsNamed() {
        assertThatThrownBy(() -> bind("{'type': 'lognormal', 'mean': 500, 'stddev': 100, 'scale': 2}"))
                .satisfies(e -> assertThat(rootCause(e))
                        .hasMessage("scale: does not apply to type lognormal (it takes mean, stddev)"));
        assertThatThrownBy(() -> bind("{'type': 'constant', 'value': 1, 'mean': 1}"))
                .satisfies(e -> assertThat(rootCause(e))
                        .hasMessage("mean: does not apply to type constant (it takes value)"));
    }

    @Test
    void unknownKeysFailAsInTheRunner() {
        assertThatThrownBy(() -> bind("{'type': 'constant', 'value': 1, 'mu': 3}"))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("\"mu\"");
    }

    @Test
    void missingAndBadParametersAreNamed() {
        assertThatThrownBy(() -> bind("{'type': 'gamma', 'shape': 2}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessage("scale: is required for type gamma"));
        assertThatThrownBy(() -> bind("{'type': 'exponential', 'mean': 0}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessage("mean: must be a positive number, got 0.0"));
        assertThatThrownBy(() -> bind("{'type': 'uniform', 'min': 5, 'max': 2}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessage("max: must be at least min (5.0), got 2.0"));
        assertThatThrownBy(() -> bind("{'type': 'lognormal', 'mean': 5, 'stddev': -1}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessageStartingWith("stddev: must be zero or a positive"));
        assertThatThrownBy(() -> bind("{'type': 'constant', 'value': -3}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessageStartingWith("value: must be zero or a positive"));
    }

    @Test
    void mixtureComponentsNeedWeightsAndTopLevelDistributionsMustNotHaveOne() {
        assertThatThrownBy(() -> bind("{'type': 'mixture', 'components': [{'type': 'constant', 'value': 1}]}"))
                .satisfies(e -> assertThat(rootCause(e))
                        .hasMessage("components[0].weight: every mixture component needs a weight"));
        assertThatThrownBy(() -> bind("{'type': 'mixture', 'components': []}"))
                .satisfies(e -> assertThat(rootCause(e))
                        .hasMessage("components: mixture needs at least one component"));
        assertThatThrownBy(() -> bind("{'type': 'constant', 'value': 1, 'weight': -1}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessage("weight: must be a positive number, got -1.0"));
        DistributionConfig weighted = new DistributionConfig("constant", 1.0, null, null, null, null, null, null, null,
                null, null, null, null, 2.0);
        assertThatThrownBy(() -> DistributionConfig.unweighted("prompt_tokens", weighted))
                .hasMessage("prompt_tokens.weight: only mixture components take a weight");
        assertThat(DistributionConfig.unweighted("prompt_tokens", null)).isNull();
    }

    @Test
    void empiricalTakesValuesOrCsvNotBoth() {
        assertThatThrownBy(() -> bind("{'type': 'empirical'}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessageStartingWith("values: empirical takes either"));
        assertThatThrownBy(() -> bind("{'type': 'empirical', 'values': [1], 'csv': 'a.csv', 'column': 'x'}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessageStartingWith("csv: empirical takes either"));
        assertThatThrownBy(() -> bind("{'type': 'empirical', 'csv': 'a.csv'}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessageStartingWith("column: is required with csv"));
        assertThatThrownBy(() -> bind("{'type': 'empirical', 'values': [1, 2], 'weights': [1]}"))
                .satisfies(e -> assertThat(rootCause(e))
                        .hasMessage("weights: needs one weight per value: 1 weights for 2 values"));
        assertThatThrownBy(() -> bind("{'type': 'empirical', 'values': [1, 2], 'weights': [0, 0]}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessage("weights: must not all be zero"));
        assertThatThrownBy(() -> bind("{'type': 'empirical', 'values': []}"))
                .satisfies(e -> assertThat(rootCause(e)).hasMessage("values: needs at least one value"));
    }

    @Test
    void theWrittenFormBindsToTheSameRecord() throws Exception {
        DistributionConfig mixture = bind("{'type': 'mixture', 'components': ["
                + "{'weight': 0.7, 'type': 'lognormal', 'mean': 100, 'stddev': 20},"
                + "{'weight': 0.3, 'type': 'empirical', 'values': [5, 6]}]}");
        assertThat(ConfigBinding.roundTrip(mixture, DistributionConfig.class)).isEqualTo(mixture);
        assertThat(DistributionConfig.TYPES).hasSize(10);
        assertThat(DistributionConfig.parameters("weibull")).isEqualTo(List.of("shape", "scale"));
    }
}
