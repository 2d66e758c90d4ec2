package dev.servesim.workload.trace;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The Azure LLM inference trace (2023, 2024): CSV {@code TIMESTAMP,ContextTokens,GeneratedTokens} with timestamps
 * {@code yyyy-MM-dd HH:mm:ss.SSSSSSS} (100 ns, no zone). Trace time is seconds since the first request's timestamp.
 */
final class AzureParser implements LineParser {

    static final String TIMESTAMP = "TIMESTAMP";
    static final String CONTEXT = "ContextTokens";
    static final String GENERATED = "GeneratedTokens";
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS");

    private final int timestampColumn;
    private final int contextColumn;
    private final int generatedColumn;
    private final int columns;
    private boolean haveOrigin;
    private long originSecond;
    private int originNano;

    private AzureParser(String[] header) {
        timestampColumn = CsvFields.column(header, TIMESTAMP);
        contextColumn = CsvFields.column(header, CONTEXT);
        generatedColumn = CsvFields.column(header, GENERATED);
        columns = header.length;
    }

    /** True if {@code header} has the three Azure columns. */
    static boolean matches(String[] header) {
        return CsvFields.column(header, TIMESTAMP) >= 0 && CsvFields.column(header, CONTEXT) >= 0
                && CsvFields.column(header, GENERATED) >= 0;
    }

    static AzureParser fromHeader(String headerLine) throws BadLineException {
        String[] header = CsvFields.header(headerLine);
        if (!matches(header)) {
            throw new BadLineException("(header)", "expected the Azure header " + TIMESTAMP + "," + CONTEXT + ","
                    + GENERATED + ", got '" + LineParser.shown(headerLine) + "'");
        }
        return new AzureParser(header);
    }

    @Override
    public String timeField() {
        return TIMESTAMP;
    }

    @Override
    public TraceEntry parse(String line, long lineNumber) throws BadLineException {
        String[] fields;
        try {
            fields = CsvFields.split(line);
        } catch (IllegalArgumentException e) {
            throw new BadLineException("(line)", e.getMessage());
        }
        if (fields.length != columns) {
            throw new BadLineException("(line)", "expected " + columns + " fields, got " + fields.length);
        }
        LocalDateTime timestamp;
        try {
            timestamp = LocalDateTime.parse(fields[timestampColumn], FORMAT);
        } catch (DateTimeParseException e) {
            throw new BadLineException(TIMESTAMP, "expected yyyy-MM-dd HH:mm:ss.SSSSSSS, got '"
                    + LineParser.shown(fields[timestampColumn]) + "'");
        }
        int prompt = LineParser.count(CONTEXT, fields[contextColumn]);
        int output = LineParser.count(GENERATED, fields[generatedColumn]);
        long second = timestamp.toEpochSecond(ZoneOffset.UTC);
        int nano = timestamp.getNano();
        if (!haveOrigin) {
            haveOrigin = true;
            originSecond = second;
            originNano = nano;
        }
        // may be negative if the file is not sorted; the reader reports that
        double time = (second - originSecond) + (nano - originNano) / 1e9;
        return new TraceEntry(lineNumber, time, prompt, output, TraceEntry.NO_HASHES, 0, -1, 0, 0, "", Double.NaN);
    }
}
