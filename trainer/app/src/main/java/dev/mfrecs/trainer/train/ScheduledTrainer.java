package dev.mfrecs.trainer.train;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelLock;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Runs a {@link TrainJob} forever on a {@link Schedule}, one run at a time. A failed, refused (gate, pinned rollback) or
 * skipped (lock held) run is logged and leaves the previous version serving; the next run tries again. Across processes the
 * model's lease keeps two trainers from publishing one model concurrently.
 */
public final class ScheduledTrainer {

    private final TrainJob job;
    private final Schedule schedule;
    private final ProgressLog log;

    public ScheduledTrainer(TrainJob job, Schedule schedule, ProgressLog log) {
        this.job = job;
        this.schedule = schedule;
        this.log = log;
    }

    /** Runs until interrupted or until {@code maxRuns} runs have happened (0: forever). Returns the number of failed runs. */
    public int run(ElasticsearchClient client, int maxRuns) throws InterruptedException {
        int runs = 0;
        int failures = 0;
        ZoneId zone = ZoneId.systemDefault();
        while (maxRuns <= 0 || runs < maxRuns) {
            ZonedDateTime start = ZonedDateTime.now(zone);
            runs++;
            try {
                int version = job.run(client, log);
                log.step("scheduled run " + runs + ": published model [" + job.model() + "] version [" + version + "]");
            } catch (PublishRefusedException e) {
                log.step("scheduled run " + runs + " did not publish, the live version keeps serving: " + e.getMessage());
            } catch (ModelLock.HeldException e) {
                log.step("scheduled run " + runs + " skipped: " + e.getMessage());
            } catch (Exception e) {
                failures++;
                log.step("scheduled run " + runs + " failed, the previous version keeps serving: " + e.getMessage());
            }
            if (maxRuns > 0 && runs >= maxRuns) {
                break;
            }
            ZonedDateTime next = schedule.next(start, ZonedDateTime.now(zone));
            log.step("next run at " + next);
            long millis = Duration.between(ZonedDateTime.now(zone), next).toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        }
        return failures;
    }
}
