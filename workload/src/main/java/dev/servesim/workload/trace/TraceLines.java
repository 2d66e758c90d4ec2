package dev.servesim.workload.trace;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The lines of a trace file, read as bytes so that one bad line stays one bad line. Each line is decoded as UTF-8 on
 * its own, strictly: an invalid byte makes that line bad, with its own number and position (a {@code Reader} over the
 * whole file fails somewhere in its buffer, lines before the bad byte). A line longer than {@link #MAX_LINE_BYTES} is
 * bad too, and never held: the reader keeps at most that many bytes of a line and drops the rest. A line holding a
 * NUL byte is bad (no text format has one; a file of zeros or a binary file does). Lines end with {@code \n},
 * {@code \r\n} or {@code \r}, as {@code BufferedReader.readLine} has it. A file that starts with the gzip magic bytes
 * is decompressed as it is read. A gzip stream cut short (a capture that was stopped before it wrote the gzip trailer)
 * is an error, unless {@link #tolerateTruncatedGzip}: then it ends after its last whole line.
 */
final class TraceLines implements Closeable {

    /**
     * Most bytes in a line, its break excluded: 1 MiB. The longest line of the shared Mooncake traces has 2.7 kB, and a
     * trace-dump line of a 128k-token prompt hashed in 16-token blocks about 170 kB.
     */
    static final int MAX_LINE_BYTES = 1 << 20;

    /** {@link #MAX_LINE_BYTES} as messages and docs write it. */
    static final String MAX_LINE_TEXT = "1 MiB (1048576 bytes)";

    private static final int CHUNK_BYTES = 64 << 10;

    private final InputStream in;
    private final boolean gzip;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int chunkStart;
    private int chunkEnd;
    private byte[] line = new byte[4096];
    private CharBuffer chars = CharBuffer.allocate(4096);
    private boolean afterCarriageReturn;
    private long lineNumber;
    private boolean tolerateTruncatedGzip;
    private boolean truncated;
    private EOFException pendingEnd;

    private TraceLines(InputStream in, boolean gzip) {
        this.in = in;
        this.gzip = gzip;
    }

    /**
     * Opens {@code file}, transparently decompressed if it starts with the gzip magic bytes {@code 0x1f 0x8b}.
     *
     * @throws java.util.zip.ZipException if it starts like gzip but its header is not one (or is cut short)
     */
    static TraceLines open(Path file) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(Files.newInputStream(file), CHUNK_BYTES);
        try {
            buffered.mark(2);
            int first = buffered.read();
            int second = buffered.read();
            buffered.reset();
            if (first == 0x1f && second == 0x8b) {
                return new TraceLines(new GZIPInputStream(buffered, CHUNK_BYTES), true);
            }
            return new TraceLines(buffered, false);
        } catch (IOException | RuntimeException e) {
            buffered.close();
            throw e;
        }
    }

    /** Whether the file is gzip. */
    boolean gzip() {
        return gzip;
    }

    /**
     * Reads a gzip stream that ends without its trailer, or within its data, up to its last whole line, as vllm-vcr
     * does with the files of a capture that was stopped; the unterminated rest of the last line is dropped.
     */
    void tolerateTruncatedGzip(boolean tolerate) {
        tolerateTruncatedGzip = tolerate;
    }

    /** Whether the gzip stream was cut short (and tolerated). */
    boolean truncated() {
        return truncated;
    }

    /**
     * Up to 64 KiB of the content from its start (decompressed), without consuming it: for telling the format before
     * the first line is read. Only before the first line.
     */
    byte[] head() throws IOException {
        while (chunkEnd < chunk.length) {
            int read;
            try {
                read = in.read(chunk, chunkEnd, chunk.length - chunkEnd);
            } catch (EOFException e) {
                // a gzip stream cut short: the reading that follows decides whether that is an error
                pendingEnd = e;
                break;
            }
            if (read < 0) {
                break;
            }
            chunkEnd += read;
        }
        return Arrays.copyOfRange(chunk, chunkStart, chunkEnd);
    }

    /** The content not read yet as a stream, for formats that are one JSON document rather than lines. */
    InputStream rest() {
        ByteArrayInputStream buffered = new ByteArrayInputStream(Arrays.copyOfRange(chunk, chunkStart, chunkEnd));
        chunkStart = chunkEnd;
        InputStream tail = in;
        if (pendingEnd != null) {
            EOFException end = pendingEnd;
            tail = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw end;
                }
            };
        }
        return new SequenceInputStream(buffered, tail);
    }

    /** Number of the line last returned or found bad (1-based; 0 before the first). */
    long lineNumber() {
        return lineNumber;
    }

    /**
     * The next line without its break, or {@code null} at the end of the file.
     *
     * @param dropLongLine whether to read past the rest of a line over the limit, so that the next call reads the
     *     next line; if not, the reader stops in that line and only closing it is left
     * @throws BadLineException (without a field) if the line is not valid UTF-8, holds a NUL byte or is too long;
     *     {@link #lineNumber()} is its number
     */
    String next(boolean dropLongLine) throws IOException, BadLineException {
        int length = 0;
        boolean tooLong = false;
        boolean started = false;
        while (true) {
            if (chunkStart == chunkEnd && !fill()) {
                if (!started || truncated) {
                    // the end, or the unterminated rest of a line in a gzip stream cut short
                    return null;
                }
                break;
            }
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (chunk[chunkStart] == '\n') {
                    chunkStart++;
                    continue;
                }
            }
            started = true;
            int end = chunkStart;
            while (end < chunkEnd && chunk[end] != '\n' && chunk[end] != '\r') {
                end++;
            }
            int count = end - chunkStart;
            if (!tooLong) {
                if (length + count > MAX_LINE_BYTES) {
                    tooLong = true;
                    if (!dropLongLine) {
                        lineNumber++;
                        throw tooLong();
                    }
                } else {
                    if (length + count > line.length) {
                        line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES,
                                Math.max(length + count, line.length * 2)));
                    }
                    System.arraycopy(chunk, chunkStart, line, length, count);
                    length += count;
                }
            }
            chunkStart = end;
            if (end < chunkEnd) {
                afterCarriageReturn = chunk[end] == '\r';
                chunkStart++;
                break;
            }
        }
        lineNumber++;
        if (tooLong) {
            throw tooLong();
        }
        return decode(length);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean fill() throws IOException {
        int read;
        try {
            if (pendingEnd != null) {
                throw pendingEnd;
            }
            do {
                read = in.read(chunk, 0, chunk.length);
            } while (read == 0);
        } catch (EOFException e) {
            if (!gzip || !tolerateTruncatedGzip) {
                throw e;
            }
            truncated = true;
            read = -1;
        }
        chunkStart = 0;
        chunkEnd = Math.max(read, 0);
        return read > 0;
    }

    private String decode(int length) throws BadLineException {
        int nul = -1;
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b == 0 && nul < 0) {
                nul = i;
            } else if (b < 0) {
                ascii = false;
            }
        }
        if (ascii) {
            if (nul >= 0) {
                throw binary(nul);
            }
            return new String(line, 0, length, StandardCharsets.ISO_8859_1);
        }
        if (chars.capacity() < length) {
            chars = CharBuffer.allocate(Math.max(length, chars.capacity() * 2));
        }
        chars.clear();
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
        decoder.reset();
        CoderResult result = decoder.decode(bytes, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            // the position is the first byte of the malformed sequence
            int bad = bytes.position();
            if (nul >= 0 && nul < bad) {
                throw binary(nul);
            }
            throw new BadLineException(null, "is not valid UTF-8 (byte " + hex(line[bad]) + " at byte " + (bad + 1)
                    + ")");
        }
        if (nul >= 0) {
            throw binary(nul);
        }
        chars.flip();
        return chars.toString();
    }

    private BadLineException binary(int position) {
        return new BadLineException(null, "has a binary byte 0x00 at byte " + (position + 1));
    }

    private static BadLineException tooLong() {
        return new BadLineException(null, "is longer than " + MAX_LINE_TEXT + ", the limit of a trace line");
    }

    private static String hex(byte b) {
        return String.format("0x%02X", b & 0xff);
    }
}
