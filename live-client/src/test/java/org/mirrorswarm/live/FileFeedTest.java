package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirrorswarm.live.Fixture.PIECE;
import static org.mirrorswarm.live.Fixture.content;
import static org.mirrorswarm.live.Fixture.file;
import static org.mirrorswarm.live.Fixture.options;
import static org.mirrorswarm.live.Fixture.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.live.store.PartFile;
import org.mirrorswarm.strategies.FilePlan;

/**
 * A download fed file by file while its source is still being read ({@link FileFeed}): it fetches at
 * once, but nothing goes under a final name, no folder is made and no existing part file is touched until
 * the source is found good; a refused source leaves the folder as it was.
 */
class FileFeedTest {
    @TempDir
    Path dir;

    private final byte[] first = content(5 * PIECE + 100, 1);
    private final byte[] second = content(3 * PIECE, 2);
    private TestMirror m1;
    private TestMirror m2;

    @AfterEach
    void close() throws IOException {
        for (TestMirror m : new TestMirror[] {m1, m2}) {
            if (m != null) {
                m.close();
            }
        }
    }

    /** A feed that hands over {@code files}, then waits for {@code release} before ending with {@code refusal}. */
    private static FileFeed held(List<LiveFile> files, CountDownLatch release, String refusal) {
        return sink -> {
            files.forEach(sink::file);
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sink.end(refusal);
        };
    }

    /** What the test checks while the source is still open; may throw. */
    private interface Meanwhile {
        void check() throws Exception;
    }

    /** A thread that runs {@code meanwhile}, then lets {@code release} go whatever happened; failures are kept. */
    private static Thread releaser(CountDownLatch release, List<Throwable> failures, Meanwhile meanwhile) {
        Thread t = new Thread(() -> {
            try {
                meanwhile.check();
            } catch (Exception | AssertionError e) {
                failures.add(e);
            } finally {
                release.countDown();
            }
        });
        t.start();
        return t;
    }

    private FetchReport run(FileFeed feed) throws IOException {
        return new LiveDownload(feed, dir, options(), FetchListener.NONE, null, LiveDownload.client(options())).run();
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aWorkersMessageBehindTheFeedsWakesStopsTheOpeningOfFiles() {
        // The loop opens the feed's files while no worker waits to be heard; the feed posts a Wake per file.
        // A Wake at the head must not hide a worker's message behind it (it did: the first pieces of a
        // 200-file fetch waited 35-65 ms while files were opened).
        java.util.concurrent.BlockingQueue<Msg> inbox = new java.util.concurrent.LinkedBlockingQueue<>();
        assertThat(LiveDownload.workerWaiting(inbox)).isFalse();
        inbox.add(Msg.Wake.INSTANCE);
        inbox.add(Msg.Wake.INSTANCE);
        assertThat(LiveDownload.workerWaiting(inbox)).isFalse();
        assertThat(inbox).isEmpty();
        Msg bytes = new Msg.Bytes(3, 100, 0);
        inbox.add(Msg.Wake.INSTANCE);
        inbox.add(bytes);
        inbox.add(Msg.Wake.INSTANCE);
        assertThat(LiveDownload.workerWaiting(inbox)).isTrue();
        assertThat(inbox).containsExactly(bytes, Msg.Wake.INSTANCE); // nothing of a worker's is dropped
    }

    /**
     * A feed that hands over its first file, then holds the rest back until the download says it is underway
     * (as the Metalink read ahead does, but with no time limit); {@code asked} records how many requests the
     * mirror had seen when it was told, and {@code told} whether it was told at all.
     */
    private static FileFeed holdingBack(List<LiveFile> files, TestMirror mirror, List<Integer> asked, CountDownLatch told) {
        return new FileFeed() {
            @Override
            public void feed(Sink sink) {
                sink.file(files.get(0));
                try {
                    told.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                files.subList(1, files.size()).forEach(sink::file);
                sink.end(null);
            }

            @Override
            public void underway() {
                asked.add(mirror.requests.size());
                told.countDown();
            }
        };
    }

    @Test
    void theFeedIsToldToGoOnOnceTheFirstAnswerArrivesOrNoRequestWaitsForOne() throws Exception {
        m1 = new TestMirror(first, "/a.deb");
        m2 = new TestMirror(second, "/b.deb");
        List<LiveFile> files = List.of(file(plan("a.deb", first, PIECE, true), m1.url()),
                file(plan("b.deb", second, PIECE, true), m2.url()));

        // Its first file fetched: told once its mirror answered.
        List<Integer> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch told = new CountDownLatch(1);
        FetchReport r = run(holdingBack(files, m1, asked, told));
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(told.getCount()).as("told").isZero();
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0)).as("requests the mirror had when the feed was told").isPositive();

        // Its first file already in place: nothing to wait for, told at once.
        Files.delete(dir.resolve("b.deb"));
        asked.clear();
        told = new CountDownLatch(1);
        int before = m1.requests.size();
        r = run(holdingBack(files, m1, asked, told));
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(told.getCount()).as("told").isZero();
        assertThat(asked).containsExactly(before);
        assertThat(Files.readAllBytes(dir.resolve("b.deb"))).isEqualTo(second);

        // Its first file held (it would create a folder before the source is good): told at once too.
        asked.clear();
        told = new CountDownLatch(1);
        List<LiveFile> sub = List.of(file(plan("sub/a.deb", first, PIECE, true), m1.url()),
                file(plan("c.deb", second, PIECE, true), m2.url()));
        before = m1.requests.size();
        r = run(holdingBack(sub, m1, asked, told));
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(told.getCount()).as("told").isZero();
        assertThat(asked).containsExactly(before);
        assertThat(Files.readAllBytes(dir.resolve("sub/a.deb"))).isEqualTo(first);
    }

    @Test
    void startsFetchingAtOnceButCommitsOnlyOnceTheSourceIsGood() throws Exception {
        m1 = new TestMirror(first, "/a.deb");
        FilePlan p = plan("a.deb", first, PIECE, true);
        CountDownLatch release = new CountDownLatch(1);
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread releaser = releaser(release, failures, () -> {
            // Every piece fetched and verified while the source is still open: still no final name.
            await("all of a.deb is on disk", () -> sizeOf(PartFile.partOf(dir.resolve("a.deb"))) >= first.length);
            Thread.sleep(300);
            assertThat(dir.resolve("a.deb")).doesNotExist();
        });
        FetchReport r = run(held(List.of(file(p, m1.url())), release, null));
        releaser.join();
        assertThat(failures).isEmpty();
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("a.deb"))).isEqualTo(first);
        assertThat(listing()).containsExactly("a.deb");
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void aRefusedSourceLeavesNothingItWrote() throws Exception {
        m1 = new TestMirror(first, "/a.deb");
        m2 = new TestMirror(second, "/b.deb");
        CountDownLatch release = new CountDownLatch(1);
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread releaser = releaser(release, failures, () -> {
            await("both mirrors were asked", () -> !m1.requests.isEmpty() && !m2.requests.isEmpty());
            Thread.sleep(200);
        });
        FileFeed feed = held(List.of(file(plan("a.deb", first, PIECE, true), m1.url()),
                file(plan("b.deb", second, PIECE, true), m2.url())), release, "x.meta4:40: a file name with '..'");
        assertThatThrownBy(() -> run(feed)).isInstanceOf(LiveDownload.Refused.class)
                .hasMessage("x.meta4:40: a file name with '..'");
        releaser.join();
        assertThat(failures).isEmpty();
        assertThat(m1.requests).isNotEmpty(); // it did start: the refusal came after
        assertThat(listing()).isEmpty();
    }

    @Test
    void aSourceReadWellIsAcceptedUnderTheFoldersLockAndItsRefusalThereLeavesNothing() throws Exception {
        m1 = new TestMirror(first, "/a.deb");
        CountDownLatch release = new CountDownLatch(1);
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread releaser = releaser(release, failures, () -> {
            await("the mirror was asked", () -> !m1.requests.isEmpty());
            Thread.sleep(200);
        });
        FileFeed read = held(List.of(file(plan("a.deb", first, PIECE, true), m1.url())), release, null);
        List<Boolean> lockedWhenAsked = new java.util.concurrent.CopyOnWriteArrayList<>();
        FileFeed feed = new FileFeed() {
            @Override
            public void feed(Sink sink) {
                read.feed(sink);
            }

            @Override
            public String accept() {
                lockedWhenAsked.add(Files.exists(dir.resolve(org.mirrorswarm.live.store.FolderLock.NAME)));
                return "x.meta4: published before the Metalink accepted meanwhile";
            }
        };
        assertThatThrownBy(() -> run(feed)).isInstanceOf(LiveDownload.Refused.class)
                .hasMessage("x.meta4: published before the Metalink accepted meanwhile");
        releaser.join();
        assertThat(failures).isEmpty();
        assertThat(lockedWhenAsked).containsExactly(true);
        assertThat(m1.requests).isNotEmpty(); // it did start: the refusal came after
        assertThat(listing()).isEmpty();

        // Known up front: accepted before anything is asked; a refusal there asks nothing of the mirror.
        int asked = m1.requests.size();
        lockedWhenAsked.clear();
        FileFeed upFront = FileFeed.of(List.of(file(plan("a.deb", first, PIECE, true), m1.url())), () -> {
            lockedWhenAsked.add(Files.exists(dir.resolve(org.mirrorswarm.live.store.FolderLock.NAME)));
            return "refused after all";
        });
        assertThatThrownBy(() -> run(upFront)).isInstanceOf(LiveDownload.Refused.class).hasMessage("refused after all");
        assertThat(lockedWhenAsked).containsExactly(true);
        assertThat(m1.requests).hasSize(asked);
        assertThat(listing()).isEmpty();
    }

    @Test
    void anExistingPartFileAndAMissingFolderWaitForTheSourceAndAreUntouchedWhenItIsRefused() throws Exception {
        m1 = new TestMirror(first, "/a.deb");
        m2 = new TestMirror(second, "/b.deb");
        // A part file and journal from an earlier run of some other plan: opening them would discard them.
        Files.write(PartFile.partOf(dir.resolve("a.deb")), new byte[] {1, 2, 3});
        Files.writeString(PartFile.journalOf(dir.resolve("a.deb")), "mirrorswarm-journal 1 another plan\np 0\n");
        byte[] part = Files.readAllBytes(PartFile.partOf(dir.resolve("a.deb")));
        CountDownLatch release = new CountDownLatch(1);
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread releaser = releaser(release, failures, () -> Thread.sleep(500));
        FileFeed feed = held(List.of(file(plan("a.deb", first, PIECE, true), m1.url()),
                file(plan("sub/b.deb", second, PIECE, true), m2.url())), release, "refused");
        assertThatThrownBy(() -> run(feed)).isInstanceOf(LiveDownload.Refused.class);
        releaser.join();
        assertThat(failures).isEmpty();
        assertThat(m1.requests).isEmpty();
        assertThat(m2.requests).isEmpty();
        assertThat(dir.resolve("sub")).doesNotExist();
        assertThat(Files.readAllBytes(PartFile.partOf(dir.resolve("a.deb")))).isEqualTo(part);
        assertThat(Files.readString(PartFile.journalOf(dir.resolve("a.deb")))).contains("another plan");
    }

    @Test
    void heldFilesStartWhenTheSourceIsGood() throws Exception {
        m1 = new TestMirror(first, "/a.deb");
        m2 = new TestMirror(second, "/b.deb");
        Files.write(PartFile.partOf(dir.resolve("a.deb")), new byte[] {1, 2, 3});
        Files.writeString(PartFile.journalOf(dir.resolve("a.deb")), "mirrorswarm-journal 1 another plan\np 0\n");
        CountDownLatch release = new CountDownLatch(1);
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread releaser = releaser(release, failures, () -> {
            Thread.sleep(300);
            assertThat(m1.requests).isEmpty(); // held: its part file belongs to an earlier run
            assertThat(dir.resolve("sub")).doesNotExist();
        });
        FetchReport r = run(held(List.of(file(plan("a.deb", first, PIECE, true), m1.url()),
                file(plan("sub/b.deb", second, PIECE, true), m2.url())), release, null));
        releaser.join();
        assertThat(failures).isEmpty();
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.files()).extracting(FetchReport.FileResult::name).containsExactly("a.deb", "sub/b.deb");
        assertThat(Files.readAllBytes(dir.resolve("a.deb"))).isEqualTo(first);
        assertThat(Files.readAllBytes(dir.resolve("sub/b.deb"))).isEqualTo(second);
        assertThat(listing()).containsExactly("a.deb", "sub", "sub/b.deb");
    }

    @Test
    void aFeedThatThrowsIsRefusedAndCleanedUp() throws Exception {
        m1 = new TestMirror(first, "/a.deb");
        FileFeed feed = sink -> {
            sink.file(file(plan("a.deb", first, PIECE, true), m1.url()));
            throw new IllegalStateException("parser broke");
        };
        assertThatThrownBy(() -> run(feed)).isInstanceOf(LiveDownload.Refused.class).hasMessageContaining("parser broke");
        assertThat(listing()).isEmpty();
    }

    @Test
    void twoFilesWithOneTargetAreNotMerged() throws Exception {
        m1 = new TestMirror(first, "/a.deb");
        m2 = new TestMirror(second, "/a.deb");
        FetchReport r = new LiveDownload(List.of(file(plan("a.deb", first, PIECE, true), m1.url()),
                file(plan("a.deb", second, PIECE, true), m2.url())), dir, options(), FetchListener.NONE, null,
                LiveDownload.client(options())).run();
        assertThat(r.files().get(0).ok()).isTrue();
        assertThat(r.files().get(1).ok()).isFalse();
        assertThat(r.files().get(1).detail()).contains("same name");
        assertThat(Files.readAllBytes(dir.resolve("a.deb"))).isEqualTo(first);
    }
}
