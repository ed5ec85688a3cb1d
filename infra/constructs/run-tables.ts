import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  TABLE_DEFINITIONS,
  type TableDefinition,
  type TableNames,
  tenantPartition,
} from '../../functions/stores/table-definitions.js';

/** Props of {@link RunTables}. */
export interface RunTablesProps {
  /** The tenant whose records the tables hold; every grant is fenced to its partition keys. */
  readonly tenantId: string;
}

/** Item actions that read; `Scan` is left out on purpose: it has no leading key to fence. */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** Item actions that write. */
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];

/**
 * A tenant's DynamoDB tables, one per design in `table-definitions.ts`: on-demand, point-in-time
 * recovery, time to live where the design names an attribute, deletion protection, and retained
 * when the stack goes.
 *
 * @example
 * const tables = new RunTables(this, 'Tables', { tenantId: 'acme' });
 * tables.grantWriteAttempts(stepRunner.function);
 */
export class RunTables extends Construct {
  /** The tables, keyed like `TABLE_DEFINITIONS`. */
  readonly tables: { readonly [K in keyof TableNames]: dynamodb.Table };
  /** The tenant every grant is fenced to. */
  private readonly tenantId: string;

  constructor(scope: Construct, id: string, props: RunTablesProps) {
    super(scope, id);
    this.tenantId = props.tenantId;
    const designs = Object.entries(TABLE_DEFINITIONS) as [keyof TableNames, TableDefinition][];
    this.tables = Object.fromEntries(designs.map(([key, design]) => [key, this.createTable(design)])) as {
      [K in keyof TableNames]: dynamodb.Table;
    };
  }

  /** Lets `grantee` count and record step attempts (the step runner). */
  grantWriteAttempts(grantee: iam.IGrantable): iam.Grant {
    return this.grantTenantItems(grantee, 'attempts', WRITE_ACTIONS);
  }

  /** Lets `grantee` read a run's attempts (to total a finished run, or show it). */
  grantReadAttempts(grantee: iam.IGrantable): iam.Grant {
    return this.grantTenantItems(grantee, 'attempts', READ_ACTIONS);
  }

  /** Lets `grantee` create, read and close run records, and claim, complete and release idempotency keys. */
  grantReadWriteRuns(grantee: iam.IGrantable): iam.Grant {
    return this.grantTenantItems(grantee, 'runs', [...READ_ACTIONS, ...WRITE_ACTIONS, 'dynamodb:DeleteItem']);
  }

  /** Lets `grantee` store feedback on a run, next to its attempts. */
  grantRecordFeedback(grantee: iam.IGrantable): iam.Grant {
    return this.grantTenantItems(grantee, 'attempts', ['dynamodb:PutItem']);
  }

  /**
   * Lets `grantee` look an API key up by its hash. The lookup item is keyed by the hash, not the
   * tenant (the tenant is what the key proves), so no leading-key condition applies: the table
   * itself is the fence, since each tenant stack has its own.
   */
  grantLookupApiKeys(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem'],
      resourceArns: [this.tables.apiKeys.tableArn],
    });
  }

  /**
   * The tenant fence, written once: item actions only on keys led by `TENANT#<tenantId>` — the runs
   * partition itself, or a partition below it (`TENANT#<tenantId>#RUN#…`). A bare `TENANT#acme*` would
   * also admit tenant `acmecorp`, hence the two patterns.
   */
  private grantTenantItems(grantee: iam.IGrantable, key: keyof TableNames, actions: string[]): iam.Grant {
    const partition = tenantPartition(this.tenantId);
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.tables[key].tableArn],
      conditions: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [partition, `${partition}#*`] },
      },
    });
  }

  private createTable(design: TableDefinition): dynamodb.Table {
    return new dynamodb.Table(this, design.suffix, {
      partitionKey: { name: design.partitionKey.name, type: dynamodb.AttributeType.STRING },
      sortKey: { name: design.sortKey.name, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(design.timeToLiveAttribute ? { timeToLiveAttribute: design.timeToLiveAttribute } : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
