// Guided lessons: each is data — a configuration (URL-hash options) and short steps saying what to
// watch. Adding a lesson needs no code.
export const LESSONS = [
  {
    id: 'magnitude-vs-random',
    title: 'Magnitude vs random at the same sparsity',
    hash: 'strategy=magnitude&schedule=one_shot&target=0.9&pretrain=2&finetune=1',
    compare: ['magnitude', 'random'],
    steps: [
      'Press “Run comparison” in the Compare tab: both runs start from the same weights and see the same images.',
      'Watch the accuracy right after pruning: removing the smallest weights costs little, removing random ones costs a lot.',
      'The gap is what the magnitude criterion knows about the network.',
    ],
  },
  {
    id: 'rollback-loop',
    title: 'Prune, check, roll back: the source document\'s loop',
    hash: 'strategy=magnitude&schedule=rollback&target=0.9&pretrain=2&finetune=3&tolerance=0.05',
    steps: [
      'Press Play. After the dense epochs the schedule prunes 30% of what remains at each interval.',
      'Each step is checked on 1,000 held-out training images; if the loss rose more than 5%, the step is undone (phase “rollback”, a marker on the curves) and the next try removes half as much.',
      'Raise the tolerance and reset: fewer rollbacks, faster pruning, more accuracy lost.',
    ],
  },
  {
    id: 'small-vs-wide',
    title: 'A small network is not over-parameterised',
    hash: 'arch=lenet5&strategy=magnitude&schedule=gradual&target=0.9&pretrain=2&finetune=2',
    steps: [
      'This is the 44k-parameter LeNet-5-like network pruned to 90%: it barely notices.',
      'Switch the network to the default (~7k) and reset: the same 90% now costs several points.',
      'Pruning removes redundancy; a tiny network has little of it.',
    ],
  },
  {
    id: 'compute-cost',
    title: 'What pruning after training really costs',
    hash: 'strategy=magnitude&schedule=gradual&target=0.75&pretrain=3&finetune=3',
    steps: [
      'Open “Compute & energy” and press Play.',
      'During dense training both curves rise together; after pruning the pruned curve rises more slowly.',
      'Yet the whole pipeline (dense training + fine-tuning) costs more than training the dense network once: post-training pruning saves inference compute, not training compute.',
    ],
  },
];
