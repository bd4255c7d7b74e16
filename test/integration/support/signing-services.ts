/**
 * The doubles the sign, verify and secure-image integration tests start
 * together: a loopback OCI registry holding `octo-org/app:v1`, the
 * @sigstore/mock Fulcio/Rekor with the OIDC token double, and the release-asset
 * double serving the stand-in trivy/syft/cosign.
 */
import { startRegistry, type RegistryServer } from '../../doubles/oci-registry/registry-server.ts';
import { startSigstoreServices, type SigstoreServices } from '../../doubles/sigstore/sigstore-services.ts';
import { startToolReleases, type ToolReleases } from '../../doubles/release-assets/action-env.ts';

export interface SigningServices {
  registry: RegistryServer;
  sigstore: SigstoreServices;
  tools: ToolReleases;
  /** Digest of `octo-org/app:v1` as pushed. */
  digest: string;
}

/** Starts the three doubles and pushes `octo-org/app:v1`. */
export async function startSigningServices(): Promise<SigningServices> {
  const [registry, sigstore, tools] = await Promise.all([
    startRegistry(),
    startSigstoreServices(),
    startToolReleases(),
  ]);
  try {
    return { registry, sigstore, tools, digest: await registry.pushImage('octo-org/app', 'v1') };
  } catch (error) {
    await stopSigningServices({ registry, sigstore, tools });
    throw error;
  }
}

/** Stops whatever was started; safe after a failed start. */
export async function stopSigningServices(services: Partial<SigningServices>): Promise<void> {
  await Promise.all([services.registry?.stop(), services.sigstore?.stop(), services.tools?.server.close()]);
}
