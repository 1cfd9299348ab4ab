package org.mirrorswarm.live;

import java.nio.file.Path;
import java.util.List;
import okhttp3.HttpUrl;
import org.mirrorswarm.strategies.FilePlan;

/**
 * Run in a child JVM by {@link ResumeTest}: fetches the test file from the URL given, so the test can
 * {@code kill -9} it halfway. Arguments: target folder, URL, seed, size.
 */
public final class ResumeChild {
    private ResumeChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        HttpUrl url = HttpUrl.get(args[1]);
        byte[] data = Fixture.content(Integer.parseInt(args[3]), Long.parseLong(args[2]));
        FilePlan plan = Fixture.plan("big.iso", data, Fixture.PIECE, true);
        new LiveDownload(List.of(Fixture.file(plan, url)), dir, Fixture.options(), FetchListener.NONE, null).run();
    }
}
