/**
 * Configuration records of the routers, bound by the runner from the {@code cluster.router} section (keys in
 * snake_case). Defaults are filled in the compact constructors.
 */
package dev.servesim.routers.config;
