package dev.servesim.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    @Test
    void replicasAreSetApartAndTheOtherKeysCrossed() {
        SearchSpace space = SearchSpace.parse(List.of("framework.hardware=H100,H200", "cluster.replicas=2..5",
                "framework.tensor_parallel_size=1,2"));

        assertThat(space.replicas()).containsExactly(2, 3, 4, 5);
        assertThat(space.combinations()).containsExactly(
                List.of("framework.hardware=H100", "framework.tensor_parallel_size=1"),
                List.of("framework.hardware=H100", "framework.tensor_parallel_size=2"),
                List.of("framework.hardware=H200", "framework.tensor_parallel_size=1"),
                List.of("framework.hardware=H200", "framework.tensor_parallel_size=2"));
    }

    @Test
    void aReplicaListIsSortedAndWithoutRepeats() {
        assertThat(SearchSpace.parse(List.of("cluster.replicas=8,2,4,2")).replicas()).containsExactly(2, 4, 8);
        assertThat(SearchSpace.parse(List.of()).combinations()).containsExactly(List.of());
        assertThat(SearchSpace.parse(List.of()).replicas()).isEmpty();
    }

    @Test
    void refusesBadRangesAndRepeatedKeys() {
        assertThatThrownBy(() -> SearchSpace.parse(List.of("cluster.replicas=0..4")))
                .hasMessageContaining("a range a..b or a list");
        assertThatThrownBy(() -> SearchSpace.parse(List.of("cluster.replicas=5..2")))
                .hasMessageContaining("a range a..b");
        assertThatThrownBy(() -> SearchSpace.parse(List.of("cluster.replicas=1..100000")))
                .hasMessageContaining("from 1 to 4096");
        assertThatThrownBy(() -> SearchSpace.parse(List.of("cluster.replicas=two")))
                .hasMessageContaining("cluster.replicas=two");
        assertThatThrownBy(() -> SearchSpace.parse(List.of("cluster.replicas=1", "cluster.replicas=2")))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> SearchSpace.parse(List.of("a.b=1", "a.b=2"))).hasMessageContaining("given twice");
        assertThatThrownBy(() -> SearchSpace.parse(List.of("a.b="))).hasMessageContaining("expected key=value1");
    }
}
