/** The message an embed frame sends its parent with its content height. */
export const RESIZE_MESSAGE = 'paperledge:resize';

export interface ResizeMessage {
  type: typeof RESIZE_MESSAGE;
  height: number;
}
