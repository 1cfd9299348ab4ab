package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mirrorswarm.live.Fixture.PIECE;
import static org.mirrorswarm.live.Fixture.content;
import static org.mirrorswarm.live.Fixture.file;
import static org.mirrorswarm.live.Fixture.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.FilePlan;

/**
 * A worker thread of a download that dies of an error (out of memory, a bug) ends the download: {@link
 * LiveDownload#run} throws that error, for the command to report, within a tick of the loop. Before, the loop
 * waited for ever for the message the dead thread would have sent (a fetch in a 6 MiB heap hung after printing
 * the error's stack trace).
 */
class CrashTest {
    private final byte[] data = content(8 * PIECE + 99, 3);
    private final FilePlan plan = plan("pkg.deb", data, PIECE, true);

    @TempDir
    Path dir;

    @Test
    void anErrorOnATransferThreadEndsTheDownloadWithIt() throws Exception {
        try (TestMirror a = new TestMirror(data, "/pkg.deb"); TestMirror b = new TestMirror(data, "/pkg.deb")) {
            AtomicInteger calls = new AtomicInteger();
            OkHttpClient client = new OkHttpClient.Builder().addInterceptor(chain -> {
                if (calls.incrementAndGet() == 3) {
                    throw new OutOfMemoryError("test: Java heap space");
                }
                return chain.proceed(chain.request());
            }).build();
            LiveDownload download = new LiveDownload(FileFeed.of(List.of(file(plan, a.url(), b.url()))), dir,
                    Fixture.options(), FetchListener.NONE, null, GeneralClient.of(client));
            Throwable thrown = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> catchThrowable(download::run));
            assertThat(thrown).isInstanceOf(OutOfMemoryError.class).hasMessage("test: Java heap space");
            assertThat(dir.resolve("pkg.deb")).doesNotExist();
            assertThat(Files.exists(dir.resolve("pkg.deb.part"))).isTrue(); // kept to resume from
        }
    }

    @Test
    void anErrorOnTheFeedThreadEndsTheDownloadWithItNotAsARefusedSource() throws Exception {
        try (TestMirror a = new TestMirror(data, "/pkg.deb")) {
            LiveFile f = file(plan, a.url());
            FileFeed feed = sink -> {
                sink.file(f);
                throw new StackOverflowError("test: deep");
            };
            LiveDownload download = new LiveDownload(feed, dir, Fixture.options(), FetchListener.NONE, null,
                    GeneralClient.of(new OkHttpClient()));
            Throwable thrown = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> catchThrowable(download::run));
            assertThat(thrown).isInstanceOf(StackOverflowError.class).hasMessage("test: deep");
            assertThat(dir.resolve("pkg.deb")).doesNotExist();
        }
    }
}
