package dev.microdiffusion.core.util;

/**
 * A bound on the parameter values a piece of work may allocate on this thread: a loader sets it to what its file
 * holds, so that metadata describing a huge model fails before the memory is taken, not after.
 */
public final class AllocationBudget {

    private static final ThreadLocal<long[]> REMAINING = new ThreadLocal<>();

    private AllocationBudget() {
    }

    /** Runs {@code work} with at most {@code values} parameter values allocated on this thread. */
    public static <T, E extends Exception> T within(long values, Work<T, E> work) throws E {
        long[] previous = REMAINING.get();
        REMAINING.set(new long[] {values});
        try {
            return work.run();
        } finally {
            if (previous == null) {
                REMAINING.remove();
            } else {
                REMAINING.set(previous);
            }
        }
    }

    /**
     * Charges {@code values}; outside {@link #within} nothing is bounded.
     *
     * @throws Exceeded if the budget has not that many left
     */
    public static void charge(String what, long values) {
        long[] remaining = REMAINING.get();
        if (remaining == null) {
            return;
        }
        if (values > remaining[0]) {
            throw new Exceeded(what + " would take " + values + " values, more than the " + remaining[0]
                    + " left of what the file holds");
        }
        remaining[0] -= values;
    }

    /** Work that may throw. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** The budget ran out. */
    public static final class Exceeded extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Exceeded(String message) {
            super(message);
        }
    }
}
