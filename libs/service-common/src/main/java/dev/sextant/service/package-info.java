/**
 * The Quarkus edge shared by the four services: choosing and decorating the storage backend from
 * configuration, API-key authentication on HTTP and gRPC, error mapping to HTTP and gRPC answers,
 * and the readiness check that asks the store. The model and the storage SPI know nothing of this
 * package.
 */
package dev.sextant.service;
