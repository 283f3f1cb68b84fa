// The formats both the settings schema and the components' argument checks accept, in one place:
// a value the Pulumi program takes is a value the functions' settings take. Pure.
import { MAX_PREFIX_LENGTH, MAX_STREAM_NAME_LENGTH } from './names';

/** Firehose stream names: 1-64 characters of [a-zA-Z0-9_.-]. */
export const STREAM_NAME = new RegExp(`^[a-zA-Z0-9_.-]{1,${MAX_STREAM_NAME_LENGTH}}$`);
export const STREAM_NAME_RULE = `must be 1-${MAX_STREAM_NAME_LENGTH} characters of [a-zA-Z0-9_.-]`;
/** Hourly names add "-yyyyMMddHH" to the prefix and Firehose allows 64 characters. */
export const STREAM_PREFIX = new RegExp(`^[a-zA-Z0-9_.-]{1,${MAX_PREFIX_LENGTH}}$`);
export const STREAM_PREFIX_RULE = `must be 1-${MAX_PREFIX_LENGTH} characters of [a-zA-Z0-9_.-]`;
/** The ownership tag value (settings: deploymentId). */
export const DEPLOYMENT_ID = /^[a-zA-Z0-9_.:/=+@-]{1,128}$/;
/** A KMS key ARN (not an alias): what S3, Kinesis, Lambda and the settings schema all accept. */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/;
/** Characters safe in an S3 key prefix without URL-encoding surprises in Athena locations. */
export const S3_PREFIX = /^[a-zA-Z0-9!_.*'()=-]+(\/[a-zA-Z0-9!_.*'()=-]+)*$/;
