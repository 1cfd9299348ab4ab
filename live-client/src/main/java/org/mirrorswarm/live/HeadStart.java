package org.mirrorswarm.live;

/**
 * Work run ahead on a daemon thread of its own (class loading, compiling, a first certificate check) so that the
 * download finds it done. Only a head start: whatever it throws, errors included (a heap too small, a class that
 * will not link), is dropped, not printed; the download meets a real failure again where it matters and reports
 * it in one line.
 */
public final class HeadStart {
    private HeadStart() {
    }

    /** Starts {@code work} on a daemon thread named {@code name}. */
    public static void start(String name, Runnable work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable dropped) { // NOPMD: nothing of a head start may fail or print
                // see the class comment
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }
}
