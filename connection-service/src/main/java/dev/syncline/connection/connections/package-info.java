/**
 * Connections: which source goes to which destination, how and when.
 *
 * <p>The {@link dev.syncline.connection.connections.Connection} aggregate changes its own fields. Its status moves
 * only along {@link dev.syncline.connection.connections.ConnectionStatus#next()}:
 * <pre>
 *   from \ to   active   inactive   paused    deprecated
 *   active        -      user       Syncline  user
 *   inactive     user      -          no      user
 *   paused       user    user         -       user
 *   deprecated    no      no          no        -
 * </pre>
 * A refused move is a 409 problem; a move to where the connection already is changes nothing and raises no event.
 *
 * <p>The use cases, each in one transaction with its events (outbox):
 * <ul>
 *   <li>{@link dev.syncline.connection.connections.Connections}: create, update, read, page;</li>
 *   <li>{@link dev.syncline.connection.connections.ConnectionLifecycle}: delete, pause (publishes
 *       ConnectionStateChanged, notes the timeline);</li>
 *   <li>{@link dev.syncline.connection.connections.ConnectionActions}: sync now, cancel, clear, refresh
 *       (commands to sync-service);</li>
 *   <li>{@link dev.syncline.connection.connections.SchemaReview}: a source's first catalog and its later changes,
 *       by each connection's {@link dev.syncline.connection.connections.SchemaChangePolicy}
 *       ({@link dev.syncline.connection.connections.SchemaChangeReaction} decides), and the user's approval;</li>
 *   <li>{@link dev.syncline.connection.connections.ConnectionTableNames}: the tables a connection writes, one
 *       connection per table.</li>
 * </ul>
 * Closed sets travel by their lower-case wire names (database, JSON, Avro), exactly as before they were types.
 */
package dev.syncline.connection.connections;
