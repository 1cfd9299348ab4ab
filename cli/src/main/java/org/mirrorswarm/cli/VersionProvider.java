package org.mirrorswarm.cli;

import picocli.CommandLine;

/** The version from the build, plus the Java runtime, for {@code --version}. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "mirrorswarm " + Version.version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
