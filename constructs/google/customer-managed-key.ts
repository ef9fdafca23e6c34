import * as crypto from 'crypto';
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring';
import { Construct } from 'constructs';
import { kmsSpellingOfLocation } from '../../lib/analysis/google';

/** The role a service agent needs to encrypt and decrypt with a key. */
export const KMS_ENCRYPTER_DECRYPTER_ROLE = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

export interface LocationPinnedKeyProps {
  /**
   * The location of the resources the key protects: a region such as
   * `europe-west4`, or a multi-region as BigQuery and Cloud Logging spell it
   * (`eu`, `us`). The key ring is created there (Cloud KMS spells the EU
   * multi-region `europe`).
   */
  readonly location: string;
  /**
   * Project of the key ring.
   * @default - the google provider's project
   */
  readonly project?: string;
  /**
   * Name of the key ring. Key rings can never be deleted, so the name must be
   * new in the project and location.
   * @default - derived from the construct path
   */
  readonly keyRingName?: string;
  /**
   * Name of the key.
   * @default "llm-guardrail"
   */
  readonly keyName?: string;
  /**
   * How often Cloud KMS rotates the key, in seconds with an `s` suffix.
   * @default "7776000s" (90 days)
   */
  readonly rotationPeriod?: string;
}

/**
 * A Cloud KMS key ring and symmetric key in one location, for customer-managed
 * encryption of resources in that same location. Grant service agents use of
 * the key with {@link LocationPinnedKey.grantEncryptDecrypt}.
 */
export class LocationPinnedKey extends Construct {
  readonly keyRing: KmsKeyRing;
  readonly cryptoKey: KmsCryptoKey;
  /** The key's resource name (`projects/…/locations/…/keyRings/…/cryptoKeys/…`), for `kms_key_name` arguments. */
  readonly kmsKeyName: string;
  /** The key ring location as Cloud KMS spells it (`europe` for the EU multi-region). */
  readonly kmsLocation: string;

  constructor(scope: Construct, id: string, props: LocationPinnedKeyProps) {
    super(scope, id);
    this.kmsLocation = kmsSpellingOfLocation(props.location);
    this.keyRing = new KmsKeyRing(this, 'KeyRing', {
      name: props.keyRingName ?? defaultKeyRingName(this),
      location: this.kmsLocation,
      project: props.project,
    });
    this.cryptoKey = new KmsCryptoKey(this, 'Key', {
      name: props.keyName ?? 'llm-guardrail',
      keyRing: this.keyRing.id,
      purpose: 'ENCRYPT_DECRYPT',
      rotationPeriod: props.rotationPeriod ?? '7776000s',
    });
    this.kmsKeyName = this.cryptoKey.id;
  }

  /** Lets a member (e.g. `serviceAccount:service-123@gcp-sa-aiplatform.iam.gserviceaccount.com`) encrypt and decrypt with the key. */
  grantEncryptDecrypt(id: string, member: string): KmsCryptoKeyIamMember {
    return new KmsCryptoKeyIamMember(this, id, { cryptoKeyId: this.cryptoKey.id, role: KMS_ENCRYPTER_DECRYPTER_ROLE, member });
  }
}

/** Key ring names are permanent per project and location; a path hash keeps them unique and stable. */
function defaultKeyRingName(scope: Construct): string {
  const base = scope.node.path.split('/').slice(-2).join('-').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').slice(0, 40);
  const hash = crypto.createHash('sha256').update(scope.node.path).digest('hex').slice(0, 8);
  return `${base}-${hash}`;
}
