import { readModuleCalls } from '@slipway/terraform/changes/module-graph';
export default async () => {
  console.log(JSON.stringify(await readModuleCalls('a.tf', 'module "x" {\n  source = "./m"\n}\n')));
};
