package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.RequestRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** What a live client saw of its request: the tokens streamed, when, and the end. */
final class TestingLiveClient implements LiveListener {

    final List<Double> tokenTimes = new ArrayList<>();
    final BlockingQueue<RequestRecord> ended = new ArrayBlockingQueue<>(1);
    int tokens;

    @Override
    public void onTokens(int count, double simulatedTime) {
        tokens += count;
        tokenTimes.add(simulatedTime);
    }

    @Override
    public void onEnded(RequestRecord record) {
        ended.add(record);
    }

    /** The request's end, waited for up to 30 s of wall time. */
    RequestRecord awaitEnd() throws InterruptedException {
        RequestRecord record = ended.poll(30, TimeUnit.SECONDS);
        assertThat(record).as("the request ended within 30 s of wall time").isNotNull();
        return record;
    }
}
