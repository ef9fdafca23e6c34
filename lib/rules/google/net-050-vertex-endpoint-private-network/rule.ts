import { TF_GOOGLE } from '../../../analysis/resource-types';
import type { ResourceGraph } from '../../../core/graph';
import { Reference, Unresolved, Value, describeValue, valueAt } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { privateNetworkSeverity } from '../../../policy/severity';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * Vertex AI endpoints are reached over a private path (Private Service
 * Connect or a peered VPC network): a warning by default, an error when the
 * policy requires private network paths.
 */
export const googleVertexEndpointPrivateNetwork: ResourceRule = {
  id: 'LCG-NET-050',
  title: 'Vertex AI endpoints are reached through Private Service Connect or a VPC network',
  category: 'network',
  severity: 'warning',
  rationale:
    'A public Vertex AI endpoint accepts prediction traffic (prompts, responses) from the internet, guarded only by IAM; Private Service Connect or VPC peering keeps it on private addresses. Policies for health data require private paths.',
  remediation: 'Set private_service_connect_config { enable_private_service_connect = true, project_allowlist = [...] } or network = "projects/<number>/global/networks/<name>" on the google_vertex_ai_endpoint.',
  clauses: [CLAUSES.hipaaTransmission, CLAUSES.soc2Boundaries, CLAUSES.gdprSecurity],
  resourceTypes: [TF_GOOGLE.vertexEndpoint],
  severityUnder: privateNetworkSeverity,
  check(resource, { graph, policy }) {
    const psc = valueAt(resource.properties, 'private_service_connect_config.enable_private_service_connect');
    const network = resource.properties.network;
    if (psc === true || namesNetwork(network, graph)) return COMPLIANT;
    if (psc instanceof Unresolved || network instanceof Unresolved) {
      const attribute = psc instanceof Unresolved ? 'private_service_connect_config.enable_private_service_connect' : 'network';
      return [
        {
          message: `Cannot verify that Vertex AI endpoint "${resource.id}" is private: ${attribute} is known only at plan time.`,
          found: `${attribute} = ${describeValue(psc instanceof Unresolved ? psc : network)}`,
          expected: 'enable_private_service_connect = true or a literal VPC network',
          fix: `write ${attribute} as a literal value`,
          attribute,
          cannotVerify: true,
        },
      ];
    }
    return [
      {
        message: `Vertex AI endpoint "${resource.id}" is public: neither Private Service Connect nor a VPC network is configured${policy.requirePrivateNetwork ? ', and the policy requires private network paths' : ''}.`,
        found: `private_service_connect_config.enable_private_service_connect = ${describeValue(psc)}, network = ${describeValue(network)}`,
        expected: 'enable_private_service_connect = true, or network set to a VPC with private services access',
        attribute: 'private_service_connect_config',
      },
    ];
  },
};

/** A network the endpoint peers with: a literal name, a reference to a network, or a path built around one. */
function namesNetwork(network: Value | undefined, graph: ResourceGraph): boolean {
  if (typeof network === 'string') return network !== '';
  if (network instanceof Reference) return graph.get(network.target)?.type === TF_GOOGLE.computeNetwork;
  if (network instanceof Unresolved) return /\/global\/networks\//.test(network.expression) || network.references.some((key) => graph.get(key)?.type === TF_GOOGLE.computeNetwork);
  return false;
}
