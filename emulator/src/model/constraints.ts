import constraintData from './ivs-realtime-constraints.json';

/** One shape of the service model, reduced to its constraints by scripts/generate-ivs-constraints.py. */
export interface ShapeConstraints {
  type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | 'timestamp'
    | 'blob';
  required?: string[];
  members?: Record<
    string,
    { shape: string; location?: 'uri' | 'querystring' | 'header'; locationName?: string; idempotencyToken?: boolean }
  >;
  member?: string;
  key?: string;
  value?: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  exception?: boolean;
  httpStatusCode?: number;
}

export interface OperationModel {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  uri: string;
  status: number;
  input: string;
  output: string;
  errors: string[];
}

interface ConstraintFile {
  metadata: { apiVersion: string; endpointPrefix: string; signingName: string };
  /** Regions of the aws partition with an endpoint of the service, from botocore's endpoints.json. */
  regions: { ivsRealtime: string[]; sts: string[] };
  operations: Record<string, OperationModel>;
  shapes: Record<string, ShapeConstraints>;
}

const data = constraintData as unknown as ConstraintFile;

export const serviceMetadata = data.metadata;
export const serviceRegions = data.regions;
export const operationModels: Readonly<Record<string, OperationModel>> = data.operations;
export const shapes: Readonly<Record<string, ShapeConstraints>> = data.shapes;

export function shape(name: string): ShapeConstraints {
  const found = shapes[name];
  if (!found) throw new Error(`shape ${name} is not in the service model`);
  return found;
}
