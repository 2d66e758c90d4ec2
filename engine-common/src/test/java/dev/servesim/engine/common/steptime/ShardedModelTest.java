package dev.servesim.engine.common.steptime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.engine.common.model.ModelSpec;
import org.junit.jupiter.api.Test;

class ShardedModelTest {

    @Test
    void kvHeadsAreReplicatedWhenTensorParallelismExceedsThem() {
        // qwen3-30b-a3b has 4 KV heads
        ShardedModel sharded = new ShardedModel(ModelSpec.named("qwen3-30b-a3b"), 8, 1, 2, 2);

        assertThat(sharded.kvHeadsPerRank()).as("KV heads replicated when tp exceeds them").isEqualTo(1);
    }
}
