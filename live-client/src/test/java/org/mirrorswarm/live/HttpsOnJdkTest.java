package org.mirrorswarm.live;

/** {@link HttpsTest}'s cases on the JDK's own TLS ({@code fetch --tls-engine jdk}). */
class HttpsOnJdkTest extends HttpsTest {
    @Override
    Trust.Engine engine() {
        return Trust.Engine.JDK;
    }
}
