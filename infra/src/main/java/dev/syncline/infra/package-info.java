/**
 * The real infrastructure Syncline runs on, started from packages on this machine: PostgreSQL (zonky's embedded
 * binaries), a KRaft Kafka broker (the Apache Kafka jars, in its own JVM) and Apicurio Registry (its distribution),
 * each on free ports, as a child process whose log is kept beside its data.
 *
 * <p>Plain Java with no test framework: {@code stack}'s launcher ({@code ./syncline up}) and {@code testing}'s test
 * resources both start the same {@link dev.syncline.infra.Infrastructure}. What the launcher keeps on disk that must
 * stay secret (database passwords, the secrets key) is written by {@link dev.syncline.infra.OwnerOnlyFiles}.
 * Where the build put the packages is in {@code build.properties} (resource filtering) and the broker's classpath
 * in {@code kafka-broker.classpath}, both written when this module is built.
 */
package dev.syncline.infra;
