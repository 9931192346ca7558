/**
 * Class coverage of a model's samples, as labelled by the quality-bar classifier: each class's
 * share of the samples must be at least COVERAGE_MIN_SHARE (3 %). The bar holds a class to that
 * only when the class holds at least COVERAGE_MIN_TRAIN_SHARE (4 %) of the training images: a
 * sampler that reproduced the training distribution exactly would give a class of 4 % a share
 * with standard deviation sqrt(0.04 * 0.96 / 2000) = 0.44 % over 2,000 samples, so 3 % is 2.3
 * standard deviations below it (fails by chance about 1 % of the time); for rarer classes the
 * bar would measure luck, not the model. Classes below it are reported with their share, not judged.
 * Fashion-MNIST (10 % each) and emoji (smallest category 4.5 %) hold every class to the bar today.
 */
export const COVERAGE_MIN_SHARE = 0.03;
const COVERAGE_MIN_TRAIN_SHARE = 0.04;

export interface ClassCoverage {
  rule: string;
  /** Share of the samples the classifier gives each class. */
  shares: Record<string, number>;
  /** Share of the training images in each class (true labels): what the rule is based on. */
  trainShares: Record<string, number>;
  /**
   * The classifier's shares on the held-out reference images, when given: about what a sampler
   * matching the data would be credited with, the classifier's mistakes included.
   */
  referenceShares?: Record<string, number>;
  /** Classes held to the bar, and those too rare in the training set to be judged. */
  judged: string[];
  notJudged: string[];
  /** Smallest share among judged classes, and which classes have it. */
  minShare: number;
  minShareClasses: string[];
  passes: boolean;
}

const round4 = (v: number) => Number(v.toFixed(4));

export function classCoverage(
  predicted: ArrayLike<number>,
  classNames: readonly string[],
  trainLabels: ArrayLike<number>,
  o: { minShare?: number; minTrainShare?: number; referencePredicted?: ArrayLike<number> } = {},
): ClassCoverage {
  const minShare = o.minShare ?? COVERAGE_MIN_SHARE;
  const minTrainShare = o.minTrainShare ?? COVERAGE_MIN_TRAIN_SHARE;
  const shareOf = (labels: ArrayLike<number>) => {
    const counts = new Array<number>(classNames.length).fill(0);
    for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
    return counts.map((c) => c / labels.length);
  };
  const sharesByName = (v: number[]) => Object.fromEntries(classNames.map((c, i) => [c, round4(v[i])]));
  const share = shareOf(predicted);
  const train = shareOf(trainLabels);
  const judgedIdx = classNames.map((_, i) => i).filter((i) => train[i] >= minTrainShare);
  const min = judgedIdx.length ? Math.min(...judgedIdx.map((i) => share[i])) : NaN;
  return {
    rule:
      `every class holding >= ${100 * minTrainShare} % of the training images has >= ${100 * minShare} % of the samples ` +
      `(rarer classes are reported, not judged: for them a perfect sampler would miss the bar by chance too often)`,
    shares: sharesByName(share),
    trainShares: sharesByName(train),
    ...(o.referencePredicted ? { referenceShares: sharesByName(shareOf(o.referencePredicted)) } : {}),
    judged: judgedIdx.map((i) => classNames[i]),
    notJudged: classNames.filter((_, i) => !judgedIdx.includes(i)),
    minShare: min,
    minShareClasses: judgedIdx.filter((i) => share[i] === min).map((i) => classNames[i]),
    passes: judgedIdx.length > 0 && min >= minShare,
  };
}
