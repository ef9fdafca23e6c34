import { Stack, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { invokeActionsToGrant } from '../../lib/analysis/iam';

/** Options of {@link BedrockPrivateEndpoint}. */
export interface BedrockPrivateEndpointProps {
  /** The VPC the endpoint is placed in. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the endpoint's network interfaces.
   *
   * @default - the VPC's private (or isolated) subnets, one per availability zone
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * Security groups of the endpoint.
   *
   * @default - a new group that admits nobody until {@link BedrockPrivateEndpoint.allowFrom} is called
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Admit HTTPS from the whole VPC CIDR instead of only from the callers named with `allowFrom`.
   *
   * @default false
   */
  readonly allowFromVpc?: boolean;
}

/**
 * A private path to Amazon Bedrock: an interface VPC endpoint for
 * `bedrock-runtime` in the stack region, with private DNS (SDK calls use it
 * without code changes) and an endpoint policy that allows invoking only the
 * models of the {@link BedrockModelAccess} constructs that use it, by
 * principals of this account.
 */
export class BedrockPrivateEndpoint extends Construct {
  readonly endpoint: ec2.InterfaceVpcEndpoint;
  private readonly allowed: string[] = [];

  constructor(scope: Construct, id: string, props: BedrockPrivateEndpointProps) {
    super(scope, id);
    this.endpoint = new ec2.InterfaceVpcEndpoint(this, 'Endpoint', {
      vpc: props.vpc,
      service: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
      privateDnsEnabled: true,
      subnets: props.subnets,
      securityGroups: props.securityGroups,
      open: props.allowFromVpc ?? false,
    });
    this.node.addValidation({
      validate: () => (this.allowed.length === 0 ? [`BedrockPrivateEndpoint at "${this.node.path}": no BedrockModelAccess uses it, so its policy allows no model (fix: pass it as privateEndpoint to BedrockModelAccess)`] : []),
    });
  }

  /** Lets `caller` (a function, a task, an instance) reach the endpoint on HTTPS. */
  allowFrom(caller: ec2.IConnectable): void {
    this.endpoint.connections.allowDefaultPortFrom(caller, 'Calls Amazon Bedrock through the private endpoint');
  }

  /** Allows the models of `access` (a BedrockModelAccess) through the endpoint; BedrockModelAccess calls it. */
  allowModels(access: { readonly resourceArns: readonly string[] }): void {
    const added = access.resourceArns.filter((arn) => !this.allowed.includes(arn));
    if (added.length === 0) return;
    this.allowed.push(...added);
    this.endpoint.addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: invokeActionsToGrant(),
        resources: added,
        conditions: { StringEquals: { 'aws:PrincipalAccount': Stack.of(this).account } },
      }),
    );
  }
}
