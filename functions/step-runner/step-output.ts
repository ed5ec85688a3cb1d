/** The response of an earlier step, as templates and prompt parts read it. */
export interface StepOutput {
  readonly text: string;
  readonly data?: unknown;
}
