package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongIntMapTest {

    @Test
    void behavesLikeAHashMapThroughGrowthAndRemovals() {
        LongIntMap map = new LongIntMap(4);
        Map<Long, Integer> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            // few distinct keys, with colliding low bits, so probe runs are long and removals shift entries
            long key = random.nextInt(512) * 1024L;
            if (random.nextInt(3) == 0) {
                assertThat(map.remove(key)).isEqualTo(reference.containsKey(key) ? reference.remove(key) : -1);
            } else {
                int value = random.nextInt(1000);
                map.put(key, value);
                reference.put(key, value);
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        for (long key = 0; key < 512 * 1024L; key += 1024) {
            assertThat(map.get(key)).isEqualTo(reference.getOrDefault(key, -1));
        }
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.containsKey(0)).isFalse();
    }
}
