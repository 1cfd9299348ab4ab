package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The quick reading of a {@code fetch} command line agrees with picocli's on every command line it accepts. */
class FetchArgsTest {
    @TempDir
    Path tmp;

    /** Every option of {@code fetch} except picocli's own help and version. */
    private static List<String> optionNames() {
        List<String> names = new ArrayList<>();
        for (Field f : FetchCommand.class.getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null) {
                names.addAll(Arrays.asList(o.names()));
            }
        }
        return names;
    }

    private static FetchCommand picocli(String... args) {
        CommandLine cl = Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        CommandLine.ParseResult r = cl.parseArgs(args);
        return (FetchCommand) r.subcommand().commandSpec().userObject();
    }

    private static void assertSameFields(FetchCommand quick, FetchCommand slow, String[] args) throws Exception {
        for (Field f : FetchCommand.class.getDeclaredFields()) {
            if (f.getAnnotation(Option.class) == null && f.getAnnotation(Parameters.class) == null) {
                continue;
            }
            f.setAccessible(true);
            assertThat(f.get(quick)).as("%s for %s", f.getName(), Arrays.toString(args)).isEqualTo(f.get(slow));
        }
    }

    @Test
    void knowsEveryOptionOfFetch() {
        assertThat(FetchArgs.names()).containsExactlyInAnyOrderElementsOf(optionNames());
    }

    @Test
    void fillsTheCommandAsPicocliDoesForEveryOption() throws Exception {
        String[][] lines = {
            {"fetch", "updates.meta4"},
            {"fetch", "updates.meta4", "-d", "out", "--json"},
            {"fetch", "x.iso", "--mirror", "http://a/x.iso", "--mirror=http://b/x.iso", "--sha256", "ab", "--size", "10"},
            {"fetch", "--manifest", "http://t/repo.manifest", "--public-key", "k.pub", "--mirrors-from", "m.txt", "a.deb", "b.deb"},
            {"fetch", "u.meta4", "-s", "work-queue", "--selector", "fastest-ewma", "--tail", "hedge", "-x", "8",
                "--per-mirror", "2"},
            {"fetch", "u.meta4", "--connect-timeout", "2s", "--header-timeout=3s", "--first-byte-timeout", "4s",
                "--low-speed-limit", "0", "--low-speed-time", "9s", "--piece-size", "256KiB", "--limit-rate", "2MiB/s"},
            {"fetch", "u.meta4", "--overwrite", "--allow-unverified", "--trace", "t.trace", "-q", "--dir=a b"},
            {"fetch", "--strategy=adaptive(alpha=0.5)", "u.meta4", "--max-connections=12", "--quiet"},
            {"fetch", "u.meta4", "--no-pipelining", "--no-early-requests"},
        };
        for (String[] args : lines) {
            FetchCommand quick = FetchArgs.read(args);
            assertThat(quick).as(Arrays.toString(args)).isNotNull();
            assertSameFields(quick, picocli(args), args);
        }
    }

    @Test
    void leavesToPicocliWhatItWouldHaveToInterpret() {
        String[][] lines = {
            {"fetch"}, {"fetch", "--help"}, {"fetch", "-h"}, {"fetch", "--version"}, {"fetch", "u.meta4", "--bogus"},
            {"fetch", "u.meta4", "-d"}, {"fetch", "u.meta4", "-d", "a", "-d", "b"}, {"fetch", "u.meta4", "--json", "--json"},
            {"fetch", "u.meta4", "-x", "+4"}, {"fetch", "u.meta4", "-x", "0x10"}, {"fetch", "u.meta4", "-x4"},
            {"fetch", "u.meta4", "-qd", "out"}, {"fetch", "@args.txt"}, {"fetch", "--", "u.meta4"},
            {"fetch", "u.meta4", "--json=false"}, {"fetch", "u.meta4", "--size", "-1"}, {"fetch", "-"},
            {"simulate", "x.yaml"}, {"fetch", "u.meta4", "--dir="},
        };
        for (String[] args : lines) {
            assertThat(FetchArgs.read(args)).as(Arrays.toString(args)).isNull();
        }
    }

    @Test
    void agreesWithPicocliOnRandomCommandLines() throws Exception {
        List<String> words = new ArrayList<>(optionNames());
        words.addAll(List.of("u.meta4", "v.metalink", "a.deb", "4", "07", "16", "+3", "-1", "", "@f", "a=b", "dir with space",
                "1MiB", "2s", "-", "--", "-dfoo", "--dir=out", "--json=true", "-x4", "-q", "http://m/x", "adaptive", "ü"));
        SplittableRandom random = new SplittableRandom(2004);
        int accepted = 0;
        for (int n = 0; n < 6_000; n++) {
            int len = 1 + random.nextInt(7);
            String[] args = new String[len + 1];
            args[0] = "fetch";
            for (int i = 1; i <= len; i++) {
                args[i] = words.get(random.nextInt(words.size()));
            }
            FetchCommand quick = FetchArgs.read(args);
            if (quick == null) {
                continue;
            }
            accepted++;
            FetchCommand slow;
            try {
                slow = picocli(args);
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("accepted " + Arrays.toString(args) + " which picocli refuses: " + e.getMessage());
            }
            assertSameFields(quick, slow, args);
        }
        assertThat(accepted).as("command lines read without picocli").isGreaterThan(150);
    }

    @Test
    void failuresReadQuicklyAreTheSameOneLineAsThroughPicocli() throws Exception {
        Path m = tmp.resolve("evil.meta4");
        Files.writeString(m, "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n  <file name=\"../../etc/cron.d/x\">"
                + "<size>1</size><url>http://127.0.0.1:9/x</url></file>\n</metalink>\n");
        String[][] lines = {
            {"fetch", m.toString(), "-d", tmp.resolve("d").toString()},
            {"fetch", tmp.resolve("nope.meta4").toString()},
            {"fetch", "u.meta4", "--strategy", "adaptiv"},
            {"fetch", "u.meta4", "--strategy", "adaptive(gate=maybe)"},
            {"fetch", "u.meta4", "--tail", "hedge(min-delay"},
            {"fetch", "x.deb", "--mirror", "http://127.0.0.1:9/x.deb", "-d", tmp.resolve("d").toString()},
        };
        for (String[] args : lines) {
            StringWriter quickErr = new StringWriter();
            StringWriter slowErr = new StringWriter();
            int quick = Main.run(FetchArgs.read(args), new PrintWriter(new StringWriter()), new PrintWriter(quickErr));
            int slow = Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(slowErr)).execute(args);
            assertThat(quick).as(Arrays.toString(args)).isEqualTo(slow).isEqualTo(ExitCodes.USAGE);
            assertThat(quickErr.toString()).isEqualTo(slowErr.toString()).startsWith("mirrorswarm: ");
        }
        assertThat(tmp.resolve("d")).satisfiesAnyOf(d -> assertThat(d).doesNotExist(), d -> assertThat(d).isEmptyDirectory());
    }
}
