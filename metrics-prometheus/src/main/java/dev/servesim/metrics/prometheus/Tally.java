package dev.servesim.metrics.prometheus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the sink counts, per engine replica, as one flat {@code long[]} per replica: a slot per
 * {@link Quantity}, then for each {@link Distribution} one count per bucket ({@code +Inf} last, not cumulative) and
 * its sum as {@code double} bits.
 *
 * <p>One writer, the simulation thread, changes it between {@link #beginUpdate} and {@link #endUpdate}, which make a
 * sequence number odd, then even again: two ordered stores, no lock. Scrapes read it on other threads with
 * {@link #snapshot}, which copies every replica and keeps the copy only if the sequence number was even and
 * unchanged across it, else tries again. A scrape therefore never sees a torn value, nor a request counted in one
 * family and not yet in another, and the simulation never waits for it, except in a rare fallback: after
 * {@value #OPTIMISTIC_ATTEMPTS} failed copies the scrape holds the simulation at its next update for the length of
 * one copy.
 *
 * <p>This replaces Micrometer's Prometheus timers, whose scrapes read count, sum and buckets one after the other:
 * under concurrent recording they expose buckets that do not add up to the count (and that go down again at the
 * next scrape), which breaks {@code rate()} and {@code histogram_quantile()}.
 */
final class Tally {

    /** Copies a scrape tries before it holds the simulation at its next update. */
    static final int OPTIMISTIC_ATTEMPTS = 16;

    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(Tally.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // odd while the simulation thread updates the values; accessed through VERSION
    @SuppressWarnings("unused")
    private volatile long version;
    // scrapes that asked the simulation thread to wait before its next update
    private final AtomicInteger waitingReaders = new AtomicInteger();
    private final double[][] upperBounds;
    private final int[] offsets;
    private final int size;
    // replaced only during an update; read racily by copies, which the sequence number then validates
    private long[][] replicas = new long[0][];

    Tally(int maxModelLen) {
        Distribution[] distributions = Distribution.values();
        upperBounds = new double[distributions.length][];
        offsets = new int[distributions.length];
        int next = Quantity.values().length;
        for (Distribution distribution : distributions) {
            double[] bounds = distribution.upperBounds(maxModelLen);
            upperBounds[distribution.ordinal()] = bounds;
            offsets[distribution.ordinal()] = next;
            // one count per finite bucket, one for +Inf, then the sum
            next += bounds.length + 2;
        }
        size = next;
    }

    /** Starts an update on the simulation thread; pass the stamp to {@link #endUpdate}. */
    long beginUpdate() {
        while (waitingReaders.get() != 0) {
            Thread.onSpinWait();
        }
        long odd = (long) VERSION.getOpaque(this) + 1;
        VERSION.setOpaque(this, odd);
        // the odd version is visible before any value changes
        VarHandle.releaseFence();
        return odd;
    }

    void endUpdate(long stamp) {
        VERSION.setRelease(this, stamp + 1);
    }

    /** The values of a replica, created on first use; only between {@link #beginUpdate} and {@link #endUpdate}. */
    long[] replica(int index) {
        if (index >= replicas.length) {
            long[][] grown = Arrays.copyOf(replicas, index + 1);
            for (int i = replicas.length; i < grown.length; i++) {
                grown[i] = new long[size];
            }
            replicas = grown;
        }
        return replicas[index];
    }

    static void add(long[] values, Quantity quantity, long amount) {
        values[quantity.ordinal()] += amount;
    }

    static void set(long[] values, Quantity quantity, long value) {
        values[quantity.ordinal()] = value;
    }

    static long get(long[] values, Quantity quantity) {
        return values[quantity.ordinal()];
    }

    /** Stores a quantity that holds a {@code double}, as its raw bits. */
    static void setDouble(long[] values, Quantity quantity, double value) {
        values[quantity.ordinal()] = Double.doubleToRawLongBits(value);
    }

    static double getDouble(long[] values, Quantity quantity) {
        return Double.longBitsToDouble(values[quantity.ordinal()]);
    }

    /** Records {@code value} {@code times} times; NaN is ignored. */
    void observe(long[] values, Distribution distribution, double value, long times) {
        if (Double.isNaN(value) || times <= 0) {
            return;
        }
        double[] bounds = upperBounds[distribution.ordinal()];
        int offset = offsets[distribution.ordinal()];
        int bucket = Arrays.binarySearch(bounds, value);
        // not found: the insertion point is the first bound above the value, i.e. its "le" bucket
        values[offset + (bucket >= 0 ? bucket : -bucket - 1)] += times;
        int sumSlot = offset + bounds.length + 1;
        values[sumSlot] = Double.doubleToRawLongBits(Double.longBitsToDouble(values[sumSlot]) + value * times);
    }

    void observe(long[] values, Distribution distribution, double value) {
        observe(values, distribution, value, 1);
    }

    /** A consistent copy of every replica's values; called by scrapes on any thread. */
    Snapshot snapshot() {
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
            long[][] copy = tryCopy();
            if (copy != null) {
                return new Snapshot(copy);
            }
            Thread.onSpinWait();
        }
        // the simulation updates faster than we copy: hold it at its next update until one copy succeeds
        waitingReaders.incrementAndGet();
        try {
            while (true) {
                long[][] copy = tryCopy();
                if (copy != null) {
                    return new Snapshot(copy);
                }
                Thread.onSpinWait();
            }
        } finally {
            waitingReaders.decrementAndGet();
        }
    }

    private long[][] tryCopy() {
        long before = (long) VERSION.getAcquire(this);
        if ((before & 1) != 0) {
            return null;
        }
        long[][] copy = copy();
        // the copy's reads are done before the version is read again
        VarHandle.acquireFence();
        return (long) VERSION.getOpaque(this) == before ? copy : null;
    }

    private long[][] copy() {
        long[][] source = replicas;
        long[][] copy = new long[source.length][];
        for (int i = 0; i < source.length; i++) {
            long[] values = source[i];
            // an optimistic read racing with a replica's creation can see null; validation then fails
            copy[i] = values == null ? new long[size] : values.clone();
        }
        return copy;
    }

    /** Values of every replica at one instant. */
    final class Snapshot {

        private final long[][] values;

        private Snapshot(long[][] values) {
            this.values = values;
        }

        int replicas() {
            return values.length;
        }

        long get(int replica, Quantity quantity) {
            return values[replica][quantity.ordinal()];
        }

        /** A quantity that holds a {@code double}. */
        double getDouble(int replica, Quantity quantity) {
            return Tally.getDouble(values[replica], quantity);
        }

        double[] upperBounds(Distribution distribution) {
            return upperBounds[distribution.ordinal()].clone();
        }

        /** Count of each bucket, {@code +Inf} last; not cumulative. */
        long[] bucketCounts(int replica, Distribution distribution) {
            int offset = offsets[distribution.ordinal()];
            return Arrays.copyOfRange(values[replica], offset, offset + upperBounds[distribution.ordinal()].length + 1);
        }

        double sum(int replica, Distribution distribution) {
            int offset = offsets[distribution.ordinal()];
            return Double.longBitsToDouble(values[replica][offset + upperBounds[distribution.ordinal()].length + 1]);
        }
    }
}
