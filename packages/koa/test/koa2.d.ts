// Koa 2 is installed under the alias `koa2`; its API is the one @types/koa describes for the parts used here.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
