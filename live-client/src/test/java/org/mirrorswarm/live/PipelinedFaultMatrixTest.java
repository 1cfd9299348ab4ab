package org.mirrorswarm.live;

/**
 * The whole fault matrix again, every plain-http request over the live client's own HTTP/1.1 connections
 * ({@link Pipe}, {@link Pipes}) — what {@code fetch} uses by default — instead of OkHttp's. Redirects and
 * credentials still end up with the general client; each case checks that the outcome is the same.
 */
class PipelinedFaultMatrixTest extends FaultMatrixTest {
    @Override
    FetchOptions options() {
        return Fixture.options().withPipelining(true);
    }
}
