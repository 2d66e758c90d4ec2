package dev.servesim.runner.sinks;

import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Streams one row per request, in the order requests end, to a temporary file that is moved into place when the
 * run finishes. Times are absolute simulated seconds ({@code _s}, 6 decimals); latencies are milliseconds
 * ({@code _ms}, 3 decimals); a time that never happened is an empty field.
 */
final class RequestCsvSink implements MetricSink {

    static final String HEADER = "request_id,session_id,turn,replica,profile,arrival_s,queued_s,scheduled_s,"
            + "first_token_s,finish_s,queue_ms,prefill_ms,ttft_ms,tpot_ms,max_itl_ms,e2e_ms,prompt_tokens,cached_tokens,"
            + "computed_prompt_tokens,output_tokens,preemptions,cache_event,status,reason,finish_reason";

    private final StreamedFile output;
    private Writer writer;
    private final StringBuilder row = new StringBuilder(256);

    RequestCsvSink(Path file) {
        this.output = new StreamedFile(file);
    }

    @Override
    public void onRunStarted() {
        writer = output.open();
        try {
            writer.write(HEADER);
            writer.write('\n');
        } catch (IOException e) {
            throw output.cannotWrite(e);
        }
    }

    @Override
    public void onRequestFinished(RequestRecord record) {
        Request request = record.request();
        row.setLength(0);
        row.append(request.id()).append(',')
                .append(request.sessionId()).append(',')
                .append(request.turn()).append(',')
                .append(record.replica()).append(',');
        text(request.profile()).append(',');
        seconds(request.arrivalTime()).append(',');
        seconds(record.queuedTime()).append(',');
        seconds(record.scheduledTime()).append(',');
        seconds(record.firstTokenTime()).append(',');
        seconds(record.finishTime()).append(',');
        millis(record.queueTime()).append(',');
        millis(record.firstTokenTime() - record.scheduledTime()).append(',');
        millis(record.ttft()).append(',');
        millis(record.meanItl()).append(',');
        millis(record.maxItl()).append(',');
        millis(record.e2e()).append(',');
        row.append(request.promptTokens()).append(',')
                .append(record.cachedTokens()).append(',')
                .append(Math.max(0, request.promptTokens() - record.cachedTokens())).append(',')
                .append(record.outputTokens()).append(',')
                .append(record.preemptions()).append(',');
        text(record.cacheEvent()).append(',');
        row.append(record.status().name().toLowerCase(Locale.ROOT)).append(',');
        text(record.reason()).append(',');
        // last, so that readers of the columns before it keep working
        row.append(record.finishReason()).append('\n');
        try {
            writer.append(row);
        } catch (IOException e) {
            throw output.cannotWrite(e);
        }
    }

    @Override
    public void onRunFinished(RunSummary summary) {
        output.finish();
    }

    /** A run that failed before its results were written leaves no half-written file. */
    @Override
    public void close() {
        output.abandon();
    }

    private StringBuilder seconds(double value) {
        return fixed(value, 1, 1_000_000L, 6);
    }

    private StringBuilder millis(double seconds) {
        return fixed(seconds, 1000, 1000L, 3);
    }

    /** Appends {@code value * scale} rounded half-up to {@code decimals} places; nothing for NaN. */
    private StringBuilder fixed(double value, double scale, long unit, int decimals) {
        if (!Double.isFinite(value)) {
            return row;
        }
        long scaled = Math.round(value * scale * unit);
        if (scaled < 0) {
            row.append('-');
            scaled = -scaled;
        }
        row.append(scaled / unit).append('.');
        String fraction = Long.toString(scaled % unit);
        for (int i = fraction.length(); i < decimals; i++) {
            row.append('0');
        }
        return row.append(fraction);
    }

    private StringBuilder text(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return row.append(value);
        }
        return row.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
}
