package dev.servesim.runner.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LanePackerTest {

    @Test
    void overlappingIntervalsGetDifferentLanesAndAFreedLaneIsReused() {
        LanePacker packer = new LanePacker();

        assertThat(packer.place(0, 120)).isZero();
        assertThat(packer.place(50, 240)).isEqualTo(1);
        // lane 0 is free from 120 on, lane 1 from 240 on
        assertThat(packer.place(130, 250)).isZero();
        assertThat(packer.place(245, 260)).isEqualTo(1);
        // an interval may start where the previous one on the lane ended
        assertThat(packer.place(250, 300)).isZero();
        assertThat(packer.lanes()).isEqualTo(2);
    }

    /** Intervals in the order they end, as requests reach a sink; many at once, so the lanes outgrow the tree. */
    @Test
    void lanesNeverOverlapAndEachIntervalTakesTheLowestFreeLane() {
        SplittableRandom random = new SplittableRandom(16);
        List<long[]> intervals = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long start = random.nextLong(100_000);
            intervals.add(new long[] {start, start + random.nextLong(20_000)});
        }
        intervals.sort(Comparator.comparingLong(interval -> interval[1]));
        LanePacker packer = new LanePacker();
        List<List<long[]>> lanes = new ArrayList<>();

        for (long[] interval : intervals) {
            int expected = 0;
            while (expected < lanes.size() && !free(lanes.get(expected), interval[0])) {
                expected++;
            }
            int lane = packer.place(interval[0], interval[1]);
            assertThat(lane).as("lane of %d..%d", interval[0], interval[1]).isEqualTo(expected);
            if (lane == lanes.size()) {
                lanes.add(new ArrayList<>());
            }
            lanes.get(lane).add(interval);
        }

        assertThat(packer.lanes()).isEqualTo(lanes.size()).isGreaterThan(16);
        for (List<long[]> lane : lanes) {
            for (int i = 1; i < lane.size(); i++) {
                assertThat(lane.get(i)[0]).isGreaterThanOrEqualTo(lane.get(i - 1)[1]);
            }
        }
    }

    private static boolean free(List<long[]> lane, long start) {
        return lane.stream().allMatch(interval -> interval[1] <= start);
    }
}
