// `make render INSTANCE=<name>`: the manifests Argo CD would apply for an instance, on stdout (the command line
// goes to stderr, so `make -s render INSTANCE=acme > acme.yaml` holds YAML only). Needs kubectl, no cluster.
import { displayPath, type Env, findK8sDir, Plan, readFlag, requireInstance, runMain } from './plan.ts'

export async function render(env: Env): Promise<void> {
  const instance = requireInstance(env, findK8sDir(env))
  const plan = new Plan({ dryRun: readFlag(env, 'DRY_RUN'), write: (line) => console.error(line) })
  plan.requireTool('kubectl')
  await plan.run(['kubectl', 'kustomize', displayPath(instance.overlayDir)])
}

if (import.meta.main) await runMain('render', render)
