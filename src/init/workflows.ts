import { ACTION_PINS, pinned } from './pins.js';

/** What the workflows `pcsync init` writes depend on. */
export interface WorkflowOptions {
  /** The pcsync action, pinned: `<owner>/<repo>@<40-hex commit>`. */
  readonly action: string;
  /** Shown beside the pin (the release the commit is), e.g. `v0.1.0`. */
  readonly actionTag: string;
  /** Public repository: comments, summaries, logs and artefacts count users instead of naming them. */
  readonly hideUsers: boolean;
  /**
   * GitHub OIDC workload identity federation instead of a client secret: jobs may request an OIDC token
   * (`id-token: write`) and pcsync uses it as the app's credential. The refresh token (App+User) stays a secret.
   */
  readonly federated?: boolean;
}

/**
 * The plan and drift jobs' credential: repository secrets of a dedicated, least-privilege partner user, App+User
 * only (partner-center-2026-12.md §2 "Recommended plan-job credential"): a public-client app registration (no secret,
 * so no app-only token: app-only tokens can order, `learn:create-a-cart`) and the refresh token of a user who holds
 * Helpdesk agent only, in a GDAP group with Directory Readers only. Separate secret names, so a pull request's run —
 * which uses the pull request's own workflow file — can reach nothing that can buy. No OIDC either.
 */
export const READER_SECRETS: Readonly<Record<string, string>> = {
  PARTNER_CENTER_TENANT_ID: 'PARTNER_CENTER_TENANT_ID',
  PARTNER_CENTER_CLIENT_ID: 'PARTNER_CENTER_READER_CLIENT_ID',
  PARTNER_CENTER_REFRESH_TOKEN: 'PARTNER_CENTER_READER_REFRESH_TOKEN',
};

/** The apply job's credential: the buying app and user, as secrets of the protected `partner-center` environment only. */
const BUYER = ['PARTNER_CENTER_TENANT_ID', 'PARTNER_CENTER_CLIENT_ID', 'PARTNER_CENTER_REFRESH_TOKEN'];

/** `env:` lines, each from its secret, nowhere else. */
function envOf(indent: string, vars: Readonly<Record<string, string>>, extra: readonly string[] = []): string {
  return [`${indent}env:`, ...Object.entries(vars).map(([n, secret]) => `${indent}  ${n}: \${{ secrets.${secret} }}`), ...extra.map((l) => `${indent}  ${l}`)].join('\n');
}

/** The reader credential (plan, drift): never the app secret, never a federated credential. */
function readerCredentials(indent: string): string {
  return envOf(indent, READER_SECRETS);
}

/** The buying credential (apply): app secret or the runner's OIDC token as the app's credential, plus the buying user's refresh token. */
function buyerCredentials(o: WorkflowOptions, indent: string): string {
  const names = o.federated ? BUYER : [...BUYER, 'PARTNER_CENTER_CLIENT_SECRET'];
  return envOf(indent, Object.fromEntries(names.map((n) => [n, n])), o.federated ? ['PARTNER_CENTER_CLIENT_ASSERTION: github-oidc'] : []);
}

/**
 * `permissions:` lines at `indent`. GitHub grants permissions per workflow or per job, not per step, so the
 * narrowest place for `id-token: write` is the one job that signs in with it (apply); its other steps are
 * pinned actions and the pcsync action blanks the OIDC request token in every step of its own but the one that
 * runs pcsync.
 */
function permissions(indent: string, rest: string[]): string {
  return [`${indent}permissions:`, ...rest.map((r) => `${indent}  ${r}`)].join('\n');
}

const checkout = (extra = '') => `      - uses: ${pinned(ACTION_PINS.checkout)}
        with:
          persist-credentials: false${extra}`;

function plan(o: WorkflowOptions): string {
  return `# pcsync plan (written by pcsync init): plans every pull request that changes desired-state/ and posts the plan as
# ONE sticky comment naming the head commit, and records the plan's actions hash as a check run on that commit.
# Read-only. The pcsync that runs is the pinned action, never code from the pull request; credentials are only in
# the env of the step that runs it, and none of them can buy: a pull request that edits this file runs its own
# version of it (and apply refuses a pull request that changes .github/).
name: pcsync plan

on:
  pull_request:
    paths:
      - "desired-state/**"

# No id-token and no credential that can buy: this job runs the pull request's own version of this file.
${permissions('', ['contents: read', 'pull-requests: write', 'checks: write'])}

concurrency:
  group: pcsync-plan-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  plan:
    name: validate and plan
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
${checkout()}

      - name: Validate desired state
        uses: ${o.action} # ${o.actionTag}
        with:
          command: validate

      - name: Plan (read-only)
        id: plan
        uses: ${o.action} # ${o.actionTag}
        with:
          command: plan
          hide-users: "${o.hideUsers}"
          full-plan-link: \${{ github.server_url }}/\${{ github.repository }}/actions/runs/\${{ github.run_id }}
        # The reader: a Helpdesk-agent-only user's App+User refresh token, no app secret (README "Security model").
${readerCredentials('        ')}

      - name: Keep the plan as an artefact
        uses: ${pinned(ACTION_PINS.uploadArtifact)}
        with:
          name: pcsync-plan-pr\${{ github.event.pull_request.number }}
          path: \${{ steps.plan.outputs.artifact-paths }}
          retention-days: 90

      - name: Post the plan as the pull request's sticky comment
        uses: ${pinned(ACTION_PINS.stickyComment)}
        with:
          header: pcsync-plan
          path: plan.md

      - name: Fail the check while a customer is blocked
        if: steps.plan.outputs.exit-code == '3'
        run: |
          echo "::error::Some customers are blocked and would not be changed; the plan comment says why."
          exit 1
`;
}

function apply(o: WorkflowOptions): string {
  return `# pcsync apply (written by pcsync init): after a merge to main, applies exactly the plan reviewers approved. The
# merged pull request's head commit must be approved by a reviewer with write access (latest review APPROVED); the
# actions hash comes from the start of the bot's sticky plan comment, which must name that head commit, be older
# than the approval and agree with the plan's check run on the head (hash and the comment's sha256); a pull request
# that changes anything outside desired-state/ is refused; pcsync re-plans the merged commit and refuses, before any
# request, a plan with another hash (prices included). README: "Security model".
name: pcsync apply

on:
  push:
    branches: [main]
    paths:
      - "desired-state/**"

${permissions('', ['contents: read'])}

concurrency:
  group: pcsync-apply
  cancel-in-progress: false

jobs:
  apply:
    name: apply the approved plan
    runs-on: ubuntu-latest
    timeout-minutes: 180
    # Settings → Environments → partner-center: required reviewers, deployment branches main only, and the
    # credentials that can buy (never as repository secrets: a pull request's run could read those).
    environment: partner-center
${permissions('    ', ['contents: read', 'pull-requests: read', 'checks: read', 'actions: read', ...(o.federated ? ['id-token: write'] : [])])}
    steps:
${checkout()}

      - name: Find the actions hash approved in the merged pull request
        id: approval
        uses: ${o.action} # ${o.actionTag}
        with:
          command: approval
          # Refuse unless GitHub enforces "require approval of the most recent reviewable push" on main.
          last-push-approval: require

      # Journal, locks and the approved plan the action keeps (and saves) before applying it: a re-run of this run
      # after a lost runner applies that same plan again (apply --resume) instead of re-planning a half-changed fleet.
      - name: Restore pcsync's state (.pcsync/)
        uses: ${pinned(ACTION_PINS.cacheRestore)}
        with:
          path: .pcsync
          key: pcsync-state-\${{ github.run_id }}-\${{ github.run_attempt }}
          restore-keys: |
            pcsync-state-

      - name: Apply exactly the approved plan
        id: apply
        uses: ${o.action} # ${o.actionTag}
        with:
          command: apply
          approved-hash: \${{ steps.approval.outputs.approved-hash }}
          hide-users: "${o.hideUsers}"
${buyerCredentials(o, '        ')}

      - name: Keep pcsync's state (.pcsync/) for the next run
        if: always()
        uses: ${pinned(ACTION_PINS.cacheSave)}
        with:
          path: .pcsync
          key: pcsync-state-\${{ github.run_id }}-\${{ github.run_attempt }}

      - name: Keep the plan and the run summary
        if: always()
        uses: ${pinned(ACTION_PINS.uploadArtifact)}
        with:
          name: pcsync-apply-\${{ github.sha }}
          path: \${{ steps.apply.outputs.artifact-paths }}
          if-no-files-found: ignore
          retention-days: 400
`;
}

function drift(o: WorkflowOptions): string {
  return `# pcsync drift (written by pcsync init): a scheduled, read-only plan of main against live state. The job fails
# whenever live state differs from git; the plan (users counted, not named) goes to the job summary, and so do the
# renewal calendar and the unused seats in money, which one issue keeps up to date (issues: write).
name: pcsync drift

on:
  schedule:
    - cron: "23 5 * * 1-5"
  workflow_dispatch:

${permissions('', ['contents: read', 'issues: write'])}

concurrency:
  group: pcsync-drift
  cancel-in-progress: true

jobs:
  drift:
    name: plan against live state
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
${checkout()}

      - name: Plan (read-only); exits non-zero on drift
        uses: ${o.action} # ${o.actionTag}
        with:
          command: drift
${readerCredentials('        ')}

      - name: Keep the drift report
        if: always()
        uses: ${pinned(ACTION_PINS.uploadArtifact)}
        with:
          name: pcsync-drift-\${{ github.run_id }}
          path: |
            drift.md
            renewals.md
          if-no-files-found: ignore
`;
}

/** The three workflows, by path in the partner repository. */
export function partnerWorkflows(o: WorkflowOptions): Record<string, string> {
  return {
    '.github/workflows/pcsync-plan.yml': plan(o),
    '.github/workflows/pcsync-apply.yml': apply(o),
    '.github/workflows/pcsync-drift.yml': drift(o),
  };
}
