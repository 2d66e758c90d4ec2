package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.runner.config.ConfigMappers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterComparisonTest {

    private static final String PD = """
            name: pd
            framework: {name: serial, ttft: 0.1, itl: 0.01}
            workload: {source: scripted, arrivals: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], output_tokens: 3}
            cluster: {replicas: 2, router: {name: modulo}, transfer: {latency: 0.25}}
            """;

    @Test
    void clusterColumnsAreEmptyWhereTheyDoNotApply(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("pd.yaml"), PD);
        ConfigLoader loader = new ConfigLoader(TestingConfigs.registry());

        List<Comparison.Variant> variants = Comparison.run(loader, config, List.of(), null,
                List.of(Variation.parse("cluster.mode=colocated,disaggregated")), folder.resolve("out"), 1);

        Comparison.Column transfer = column("transfer_p50_ms");
        Comparison.Column prefillBusy = column("prefill_busy_fraction");
        Comparison.Column decodeBusy = column("decode_busy_fraction");
        var colocated = variants.get(0).result().summary();
        var disaggregated = variants.get(1).result().summary();
        assertThat(Comparison.value(colocated, transfer)).isNaN();
        assertThat(Comparison.value(colocated, prefillBusy)).isNaN();
        assertThat(Comparison.value(disaggregated, transfer)).isCloseTo(250.0, within(1e-9));
        assertThat(Comparison.value(disaggregated, prefillBusy)).isBetween(0.0, 1.0);
        assertThat(Comparison.value(disaggregated, decodeBusy)).isBetween(0.0, 1.0);
        // one variant with a transfer time is the best; a busy share is never "best"
        assertThat(Comparison.best(variants, transfer)).containsExactly(1);
        assertThat(Comparison.best(variants, prefillBusy)).isEmpty();

        List<String> csv = Files.readAllLines(folder.resolve("out/compare.csv"));
        assertThat(csv.get(0)).endsWith(",request_imbalance,transfer_p50_ms,prefill_busy_fraction,"
                + "decode_busy_fraction,output_tokens_per_gpu_per_s,usd_per_million_output_tokens");
        // the serial engine models no GPU memory: no GPU figures either
        assertThat(csv.get(1)).endsWith(",,,,,");
        assertThat(csv.get(2)).contains(",250.000000,");
        JsonNode json = ConfigMappers.json().readTree(folder.resolve("out/compare.json").toFile());
        assertThat(json.at("/best/prefill_busy_fraction").size()).isZero();
    }

    private static Comparison.Column column(String key) {
        return Comparison.COLUMNS.stream().filter(column -> column.key().equals(key)).findFirst().orElseThrow();
    }
}
