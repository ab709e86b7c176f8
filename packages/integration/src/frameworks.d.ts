// Koa 2 and Express 4 are installed under the aliases `koa2` and `express4`; @types/koa and @types/express
// describe the parts used here.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}

declare module 'express4' {
  import express = require('express');
  export = express;
}
