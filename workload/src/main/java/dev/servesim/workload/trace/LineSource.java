package dev.servesim.workload.trace;

import java.io.IOException;

/** The requests of a trace of one request per line, in file order, parsed by a {@link LineParser}. */
final class LineSource implements EntrySource {

    private final TraceLines lines;
    private final LineParser parser;
    private final boolean skipBadLines;
    private String pendingLine;
    private long pendingLineNumber;

    /**
     * @param firstRequest the first line when it is a request (the reader read it to tell the format), or
     *     {@code null} when it was a header or meta line
     */
    LineSource(TraceLines lines, LineParser parser, boolean skipBadLines, String firstRequest) {
        this.lines = lines;
        this.parser = parser;
        this.skipBadLines = skipBadLines;
        this.pendingLine = firstRequest;
        this.pendingLineNumber = lines.lineNumber();
    }

    @Override
    public TraceEntry next() throws IOException, BadLineException {
        while (true) {
            String line;
            long number;
            if (pendingLine != null) {
                line = pendingLine;
                number = pendingLineNumber;
                pendingLine = null;
            } else {
                try {
                    line = lines.next(skipBadLines);
                } catch (BadLineException e) {
                    throw e.located(lines.lineNumber());
                }
                if (line == null) {
                    return null;
                }
                number = lines.lineNumber();
            }
            if (line.isBlank()) {
                continue;
            }
            try {
                return parser.parse(line, number);
            } catch (BadLineException e) {
                throw e.located(number);
            }
        }
    }

    @Override
    public String timeField() {
        return parser.timeField();
    }

    @Override
    public long lineNumber() {
        return lines.lineNumber();
    }

    @Override
    public boolean gzip() {
        return lines.gzip();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
