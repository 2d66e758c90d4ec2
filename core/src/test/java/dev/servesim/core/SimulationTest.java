package dev.servesim.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.sim.ScheduledEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void runsEventsInTimeOrderAndSameTimeEventsFirstInFirstOut() {
        Simulation simulation = new Simulation();
        List<String> order = new ArrayList<>();
        simulation.schedule(2.0, () -> order.add("b@2"));
        simulation.schedule(1.0, () -> order.add("a@1"));
        simulation.schedule(2.0, () -> order.add("c@2"));
        simulation.schedule(1.0, () -> {
            order.add("d@1");
            simulation.schedule(0.0, () -> order.add("e@1 (scheduled at 1)"));
        });

        assertThat(simulation.run(Double.MAX_VALUE)).isEqualTo(Simulation.Outcome.DRAINED);

        assertThat(order).containsExactly("a@1", "d@1", "e@1 (scheduled at 1)", "b@2", "c@2");
        assertThat(simulation.now()).isEqualTo(2.0);
        assertThat(simulation.eventsProcessed()).isEqualTo(5);
    }

    @Test
    void keepsSubNanosecondDifferencesInsteadOfQuantizing() {
        Simulation simulation = new Simulation();
        List<Double> times = new ArrayList<>();
        simulation.scheduleAt(1.0 + 1e-12, () -> times.add(simulation.now()));
        simulation.scheduleAt(1.0, () -> times.add(simulation.now()));

        simulation.run(10);

        assertThat(times).containsExactly(1.0, 1.0 + 1e-12);
    }

    @Test
    void cancelledEventsDoNotRun() {
        Simulation simulation = new Simulation();
        List<String> ran = new ArrayList<>();
        ScheduledEvent cancelled = simulation.schedule(1, () -> ran.add("cancelled"));
        simulation.schedule(2, () -> ran.add("kept"));

        cancelled.cancel();

        assertThat(cancelled.isPending()).isFalse();
        assertThat(simulation.pendingEvents()).isEqualTo(1);
        simulation.run(10);
        assertThat(ran).containsExactly("kept");
    }

    @Test
    void stopsAtTheHorizonWithTheClockOnIt() {
        Simulation simulation = new Simulation();
        List<String> ran = new ArrayList<>();
        simulation.schedule(1, () -> ran.add("in"));
        simulation.schedule(5, () -> ran.add("out"));

        assertThat(simulation.run(3)).isEqualTo(Simulation.Outcome.HORIZON);

        assertThat(ran).containsExactly("in");
        assertThat(simulation.now()).isEqualTo(3.0);
        assertThat(simulation.pendingEvents()).isEqualTo(1);
    }

    @Test
    void stopRequestEndsTheRunBeforeTheNextEvent() {
        Simulation simulation = new Simulation();
        List<Integer> ran = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int n = i;
            simulation.schedule(i, () -> {
                ran.add(n);
                if (n == 2) {
                    simulation.requestStop();
                }
            });
        }

        assertThat(simulation.run(100)).isEqualTo(Simulation.Outcome.STOPPED);
        assertThat(ran).containsExactly(1, 2);
    }

    @Test
    void rejectsNegativeNaNAndPastTimes() {
        Simulation simulation = new Simulation();
        simulation.schedule(5, () -> {});
        simulation.run(10);

        assertThatThrownBy(() -> simulation.schedule(-1, () -> {})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> simulation.schedule(Double.NaN, () -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> simulation.scheduleAt(4.0, () -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clock is at 5.0");
    }

    @Test
    void randomScheduleAndCancelPopsInExactOrder() {
        SplittableRandom random = new SplittableRandom(7);
        Simulation simulation = new Simulation();
        List<double[]> fired = new ArrayList<>();
        List<ScheduledEvent> events = new ArrayList<>();
        int[] sequence = {0};
        for (int i = 0; i < 20_000; i++) {
            double time = random.nextInt(500) / 10.0;
            int seq = sequence[0]++;
            events.add(simulation.scheduleAt(time, () -> fired.add(new double[] {simulation.now(), seq})));
        }
        int cancelled = 0;
        for (int i = 0; i < 5_000; i++) {
            ScheduledEvent event = events.get(random.nextInt(events.size()));
            if (event.isPending()) {
                event.cancel();
                cancelled++;
            }
        }

        simulation.run(Double.MAX_VALUE);

        assertThat(fired).hasSize(20_000 - cancelled);
        for (int i = 1; i < fired.size(); i++) {
            double[] previous = fired.get(i - 1);
            double[] current = fired.get(i);
            boolean ordered = previous[0] < current[0] || (previous[0] == current[0] && previous[1] < current[1]);
            assertThat(ordered).as("event %d after %d", i, i - 1).isTrue();
        }
    }

    @Test
    void daemonEventsAloneDoNotKeepTheRunGoing() {
        Simulation simulation = new Simulation();
        List<Double> samples = new ArrayList<>();
        Runnable[] sample = new Runnable[1];
        sample[0] = () -> {
            samples.add(simulation.now());
            simulation.scheduleDaemon(1.0, sample[0]);
        };
        simulation.scheduleDaemon(0, sample[0]);
        simulation.schedule(2.5, () -> {});

        assertThat(simulation.run(100)).isEqualTo(Simulation.Outcome.DRAINED);

        assertThat(samples).containsExactly(0.0, 1.0, 2.0);
        assertThat(simulation.now()).isEqualTo(2.5);
        assertThat(simulation.pendingEvents()).isEqualTo(1);
        assertThat(simulation.pendingRegularEvents()).isZero();
    }
}
