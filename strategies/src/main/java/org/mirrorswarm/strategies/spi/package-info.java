/**
 * The service-provider interface of the scheduler: the three strategy families
 * ({@link org.mirrorswarm.strategies.spi.ChunkStrategy}, {@link org.mirrorswarm.strategies.spi.MirrorSelector},
 * {@link org.mirrorswarm.strategies.spi.TailPolicy}), the read-only view of scheduler state they decide
 * from, and the factories through which {@link java.util.ServiceLoader} finds them by id.
 */
package org.mirrorswarm.strategies.spi;
