// asl-validator ships no type declarations; this is the part of its API the compiler uses.
declare module 'asl-validator' {
  interface AslValidatorOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  interface AslValidationResult {
    isValid: boolean;
    errors: { 'Error code': string; Message: string }[];
    errorsText(separator?: string): string;
  }
  function validator(definition: object, options?: AslValidatorOptions): AslValidationResult;
  export = validator;
}
