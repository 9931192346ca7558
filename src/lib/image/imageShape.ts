/** Image shape without the batch axis: [height, width, channels]. Shared by operators, models and data. */
export type ImageShape = readonly [number, number, number];
