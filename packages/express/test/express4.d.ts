// Express 4 is installed under the alias `express4`; @types/express (5) describes the parts used here.
declare module 'express4' {
  import express = require('express');
  export = express;
}
