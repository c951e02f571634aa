/** Container names: docker's validation and its adjective_surname generator. */
import { randomInt } from 'node:crypto';
import { invalid } from '../errors.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function checkName(name: string): string {
  const n = name.replace(/^\//, '');
  if (!NAME.test(n)) throw invalid(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  return n;
}

const LEFT = ['admiring', 'adoring', 'agitated', 'amazing', 'awesome', 'blissful', 'bold', 'brave', 'charming', 'clever', 'cool', 'compassionate', 'competent', 'confident', 'dazzling', 'determined', 'eager', 'ecstatic', 'elastic', 'elegant', 'epic', 'exciting', 'fervent', 'festive', 'focused', 'friendly', 'frosty', 'gallant', 'gifted', 'goofy', 'gracious', 'happy', 'hopeful', 'hungry', 'inspiring', 'intelligent', 'jolly', 'jovial', 'keen', 'kind', 'laughing', 'loving', 'lucid', 'magical', 'modest', 'musing', 'mystifying', 'nice', 'nifty', 'nostalgic', 'objective', 'optimistic', 'peaceful', 'pensive', 'practical', 'priceless', 'quirky', 'quizzical', 'relaxed', 'reverent', 'romantic', 'serene', 'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'sweet', 'tender', 'thirsty', 'trusting', 'upbeat', 'vibrant', 'vigilant', 'wizardly', 'wonderful', 'youthful', 'zealous', 'zen'];
const RIGHT = ['albattani', 'allen', 'archimedes', 'babbage', 'bardeen', 'bartik', 'bell', 'blackwell', 'bohr', 'booth', 'borg', 'bose', 'brahmagupta', 'brown', 'burnell', 'cannon', 'carson', 'cerf', 'chandrasekhar', 'clarke', 'curie', 'darwin', 'dijkstra', 'einstein', 'elion', 'engelbart', 'euclid', 'euler', 'faraday', 'fermat', 'fermi', 'feynman', 'franklin', 'galileo', 'gauss', 'goldberg', 'goodall', 'hamilton', 'hawking', 'heisenberg', 'hermann', 'hopper', 'hypatia', 'jackson', 'jang', 'johnson', 'kalam', 'keller', 'kepler', 'khorana', 'knuth', 'lalande', 'lamport', 'leakey', 'lovelace', 'lumiere', 'mayer', 'mccarthy', 'mcclintock', 'meitner', 'mendel', 'morse', 'napier', 'newton', 'nobel', 'noether', 'pascal', 'pasteur', 'payne', 'perlman', 'pike', 'poincare', 'ptolemy', 'raman', 'ritchie', 'rosalind', 'sammet', 'shannon', 'shockley', 'sinoussi', 'stallman', 'swanson', 'tesla', 'thompson', 'torvalds', 'turing', 'volhard', 'wescoff', 'wiles', 'williams', 'wilson', 'wing', 'wozniak', 'wright', 'yalow', 'yonath'];

export function randomName(retry = 0): string {
  const n = `${LEFT[randomInt(LEFT.length)]}_${RIGHT[randomInt(RIGHT.length)]}`;
  return retry > 0 ? `${n}${randomInt(10)}` : n;
}
