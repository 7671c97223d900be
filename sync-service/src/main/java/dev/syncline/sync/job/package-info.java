/**
 * Jobs and how an attempt runs.
 * <p>
 * A job ({@link dev.syncline.sync.job.Job}) is queued by a command or a schedule and taken by one instance
 * ({@link dev.syncline.sync.job.Jobs#claimNext}); {@link dev.syncline.sync.job.JobRunner} runs each attempt on a thread
 * of its own through {@link dev.syncline.sync.job.SyncRun}, which is a pipeline of named stages:
 * <ol>
 *   <li><b>scope</b> ({@link dev.syncline.sync.job.AttemptScope}): opened first, closed last; while it is open the job
 *       heartbeats and counts as a running sync, so no failure can leave a job beating;</li>
 *   <li><b>plan</b> ({@link dev.syncline.sync.job.AttemptPlan}): pure — the job's streams as the destination names them
 *       (namespace, prefix, generation), the activation mapping, which saved states the source reads on from and which
 *       states are stored at each checkpoint;</li>
 *   <li><b>pump</b> ({@link dev.syncline.sync.job.RecordPump}, today {@link dev.syncline.sync.job.BoundedPump}):
 *       read → map → write on one thread, stopping at a cancel, reporting progress; a connector's failure leaves it
 *       as a {@link dev.syncline.sync.job.StageFailure} that says source or destination, and which stream;</li>
 *   <li><b>rejection sink</b> ({@link dev.syncline.sync.job.RejectionSink}): rejections many to a RecordsRejected,
 *       log lines and retry rows, stored in batches and with each state the destination acknowledged
 *       ({@link dev.syncline.sync.job.AcknowledgementListener}, {@link dev.syncline.sync.job.AttemptStore});</li>
 *   <li><b>activation retries</b> ({@link dev.syncline.sync.job.ActivationRetries}): records rejected before are
 *       offered again after the source's records, and resolved once the destination completed;</li>
 *   <li><b>outcome</b> ({@link dev.syncline.sync.job.AttemptOutcome}, {@link dev.syncline.sync.job.RetryPolicy},
 *       {@link dev.syncline.sync.job.OutcomeRecorder}): succeeded, cancelled, failed (retried after a backoff or not),
 *       or handed back when the instance stops.</li>
 * </ol>
 * A continuous source (change data capture) adds a pump that checkpoints on time and ends only when cancelled; the
 * other stages stay as they are.
 */
package dev.syncline.sync.job;
