/**
 * Plugin entry point, extension factories, API versioning and errors.
 *
 * <p>All simulated times in this API are {@code double} seconds on the simulation clock. Every method is called on
 * the single simulation thread of a run unless its Javadoc says otherwise.
 *
 * <p>How the API grows within a major version, so that a plugin compiled against an older minor version keeps
 * loading and running (a test loads a plugin jar built against an earlier API):
 * <ul>
 *   <li>Interfaces plugins implement ({@code ServesimPlugin}, the factories, {@code ServingEngine},
 *       {@code KvCacheStrategy}, {@code WorkloadSource}, {@code MetricSink}, {@code Router},
 *       {@code RequestListener}) get new methods as default methods with a neutral behaviour.
 *   <li>Contexts the runner implements ({@code EngineContext}, {@code WorkloadContext}, {@code SinkContext}) get new
 *       services as default methods that throw {@link java.lang.UnsupportedOperationException}, as Trino's
 *       {@code ConnectorContext} does, so test harnesses that implement them keep compiling.
 *   <li>Records get new components, and keep their previous canonical constructor as a constructor
 *       ({@code CacheContext}, {@code RouterContext} and the value types).
 *   <li>Nothing is removed or changes its signature; that takes a new major version, which the runner refuses with
 *       a message naming the plugin (see {@link dev.servesim.api.ApiVersion}). The one exception came in 0.3, before
 *       the rule: {@code BlockHashChain} became immutable and its {@code append} methods moved to its builder.
 * </ul>
 */
package dev.servesim.api;
