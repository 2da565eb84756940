// Guided lessons: each is data — a configuration (URL-hash options) and short steps saying what to
// watch. Adding a lesson needs no code.
export const LESSONS = [
  {
    id: 'magnitude-vs-random',
    title: 'Magnitude vs random at the same sparsity',
    hash: 'strategy=magnitude&schedule=one-shot&target=0.9&pretrain=2&finetune=1',
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
    hash: 'strategy=magnitude&schedule=rollback&target=0.9&rate=0.3&pretrain=2&finetune=3&tolerance=0.05',
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
    id: 'gradient-alone',
    title: 'Why gradient magnitude alone prunes badly',
    hash: 'strategy=gradient&schedule=one-shot&target=0.75&pretrain=2&finetune=1',
    compare: ['magnitude', 'gradient', 'taylor'],
    steps: [
      'Run the comparison: magnitude |w|, gradient |∂L/∂w| and Taylor |w·∂L/∂w| prune the same trained network.',
      'A trained network sits near a minimum, so many important weights have tiny gradients: the gradient score removes them and accuracy collapses right after pruning.',
      'Taylor multiplies by the weight and estimates the loss change of removing it — it recovers. Gradient magnitude is a growth signal (RigL uses it to regrow), not a pruning score.',
    ],
  },
  {
    id: 'lottery',
    title: 'Lottery tickets: rewinding vs the same mask with fresh weights',
    hash: 'strategy=magnitude&schedule=lottery&rewind=init&target=0.9&rate=0.5&pretrain=1&finetune=2',
    steps: [
      'Press Play: each round trains, prunes half of what remains by magnitude, and rewinds the surviving weights to their initial values.',
      'Note the final test accuracy. Then set “Rewind” to “fresh random weights (control)” and press Reset, then Play.',
      'Same pruning, same sparsity — but without the original initialisation the sparse network trains worse: the mask and the initial weights belong together.',
    ],
  },
  {
    id: 'dynamic-energy',
    title: 'Training energy: prune after training vs sparse from the start',
    hash: 'strategy=rigl&schedule=one-shot&target=0.9&pretrain=2&finetune=2',
    compare: ['magnitude', 'rigl'],
    steps: [
      'Run the comparison: magnitude pruning trains dense first and prunes later; RigL is sparse from step 0, dropping and regrowing weights as it learns.',
      'Open the compute chart in Compare: RigL\'s cumulative MACs grow at the sparse rate from the start.',
      'Open “Compute & energy” on either run: the whole prune-after-training pipeline costs more training compute than RigL. Dynamic sparse training is what saves training compute — the source document\'s goal; pruning after training saves inference compute.',
    ],
  },
];
