import { logger } from './lib/logger.js';
import { registerApprovalJobs } from './jobs/approval.jobs.js';
import { registerBounceJobs } from './jobs/bounce-cleanup.jobs.js';
import { registerNotificationJobs } from './jobs/notification.jobs.js';
import { CampaignOrchestratorService } from './services/lifecycle/campaign-orchestrator.service.js';
import { CampaignScheduleService } from './services/lifecycle/campaign-schedule.service.js';

const LAUNCH_CHECK_MS = 60_000;

registerNotificationJobs();
registerApprovalJobs();
registerBounceJobs();

const schedules = new CampaignScheduleService();
const orchestrator = new CampaignOrchestratorService();

async function launchDueRounds(): Promise<void> {
  for (const schedule of await schedules.due()) {
    if (await orchestrator.launch(schedule.id)) await orchestrator.completeIfDone(schedule.campaignId);
  }
}

setInterval(() => {
  launchDueRounds().catch((error) => logger.error('launch check failed', { error: String(error) }));
}, LAUNCH_CHECK_MS);

logger.info('worker started');
