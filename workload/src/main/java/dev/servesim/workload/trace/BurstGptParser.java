package dev.servesim.workload.trace;

/**
 * BurstGPT CSV (HPMLL/BurstGPT): columns found by name in the header; {@code Timestamp} (seconds from the start of
 * the log), {@code Request tokens} and {@code Response tokens} are used, the others ({@code Model}, {@code Session
 * ID}, {@code Elapsed time}, {@code Total tokens}, {@code Log Type}) are ignored. Failed requests have 0 response
 * tokens; the source skips and counts them.
 */
final class BurstGptParser implements LineParser {

    static final String TIMESTAMP = "Timestamp";
    static final String REQUEST = "Request tokens";
    static final String RESPONSE = "Response tokens";

    private final int timestampColumn;
    private final int requestColumn;
    private final int responseColumn;
    private final int columns;

    private BurstGptParser(String[] header) {
        timestampColumn = CsvFields.column(header, TIMESTAMP);
        requestColumn = CsvFields.column(header, REQUEST);
        responseColumn = CsvFields.column(header, RESPONSE);
        columns = header.length;
    }

    /** True if {@code header} has the BurstGPT columns this reader needs. */
    static boolean matches(String[] header) {
        return CsvFields.column(header, TIMESTAMP) >= 0 && CsvFields.column(header, REQUEST) >= 0
                && CsvFields.column(header, RESPONSE) >= 0;
    }

    static BurstGptParser fromHeader(String headerLine) throws BadLineException {
        String[] header = CsvFields.header(headerLine);
        if (!matches(header)) {
            throw new BadLineException("(header)", "expected a BurstGPT header with the columns " + TIMESTAMP + ", "
                    + REQUEST + " and " + RESPONSE + ", got '" + LineParser.shown(headerLine) + "'");
        }
        return new BurstGptParser(header);
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
        double time;
        try {
            time = Double.parseDouble(fields[timestampColumn]);
        } catch (NumberFormatException e) {
            throw new BadLineException(TIMESTAMP, "expected seconds, got '" + LineParser.shown(fields[timestampColumn]) + "'");
        }
        LineParser.checkTime(TIMESTAMP, time);
        int prompt = LineParser.count(REQUEST, fields[requestColumn]);
        int output = LineParser.count(RESPONSE, fields[responseColumn]);
        return new TraceEntry(lineNumber, time, prompt, output, TraceEntry.NO_HASHES, 0, -1, 0, 0, "", Double.NaN);
    }
}
