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

const IDS_AND_REFRESH = ['PARTNER_CENTER_TENANT_ID', 'PARTNER_CENTER_CLIENT_ID', 'PARTNER_CENTER_REFRESH_TOKEN'];

/** The `env:` of a step that runs pcsync: each credential from the secret of the same name, nowhere else. */
function credentials(o: WorkflowOptions, indent: string): string {
  const secrets = o.federated ? IDS_AND_REFRESH : [...IDS_AND_REFRESH, 'PARTNER_CENTER_CLIENT_SECRET'];
  return [
    `${indent}env:`,
    ...secrets.map((n) => `${indent}  ${n}: \${{ secrets.${n} }}`),
    ...(o.federated ? [`${indent}  PARTNER_CENTER_CLIENT_ASSERTION: github-oidc`] : []),
  ].join('\n');
}

/** Workflow permissions, plus `id-token: write` when the app signs in with the runner's OIDC token. */
function permissions(o: WorkflowOptions, rest: string[]): string {
  return ['permissions:', ...rest.map((r) => `  ${r}`), ...(o.federated ? ['  id-token: write'] : [])].join('\n');
}

const checkout = (extra = '') => `      - uses: ${pinned(ACTION_PINS.checkout)}
        with:
          persist-credentials: false${extra}`;

function plan(o: WorkflowOptions): string {
  return `# pcsync plan (written by pcsync init): plans every pull request that changes desired-state/ and posts the plan as
# ONE sticky comment. Read-only. The pcsync that runs is the pinned action, never code from the pull request;
# credentials are only in the env of the step that runs it. Protect .github/ with CODEOWNERS: a pull request
# that edits this file runs its own version of it.
name: pcsync plan

on:
  pull_request:
    paths:
      - "desired-state/**"

${permissions(o, ['contents: read', 'pull-requests: write'])}

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
${credentials(o, '        ')}

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
# merged pull request's head commit must be approved by a reviewer with write access (latest review APPROVED);
# the actions hash comes only from the start of the bot's sticky plan comment; pcsync re-plans the merged
# commit and refuses, before any request, a plan with another hash.
name: pcsync apply

on:
  push:
    branches: [main]
    paths:
      - "desired-state/**"

${permissions(o, ['contents: read', 'pull-requests: read'])}

concurrency:
  group: pcsync-apply
  cancel-in-progress: false

jobs:
  apply:
    name: apply the approved plan
    runs-on: ubuntu-latest
    timeout-minutes: 180
    # Settings → Environments → partner-center: required reviewers, and the write-capable credentials.
    environment: partner-center
    steps:
${checkout()}

      - name: Find the actions hash approved in the merged pull request
        id: approval
        uses: ${o.action} # ${o.actionTag}
        with:
          command: approval

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
${credentials(o, '        ')}

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
# whenever live state differs from git; the plan (users counted, not named) goes to the job summary.
name: pcsync drift

on:
  schedule:
    - cron: "23 5 * * 1-5"
  workflow_dispatch:

${permissions(o, ['contents: read'])}

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
${credentials(o, '        ')}

      - name: Keep the drift report
        if: always()
        uses: ${pinned(ACTION_PINS.uploadArtifact)}
        with:
          name: pcsync-drift-\${{ github.run_id }}
          path: drift.md
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
