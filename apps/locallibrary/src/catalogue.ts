/** A book of the catalogue. */
export interface Book {
  title: string;
  author: string;
  year: number;
}

/** The library's holdings: a fixed list, enough for the page size preference to matter. */
export const CATALOGUE: readonly Book[] = [
  { title: 'Pride and Prejudice', author: 'Jane Austen', year: 1813 },
  { title: 'Emma', author: 'Jane Austen', year: 1815 },
  { title: 'Frankenstein', author: 'Mary Shelley', year: 1818 },
  { title: 'Ivanhoe', author: 'Walter Scott', year: 1819 },
  { title: 'The Last of the Mohicans', author: 'James Fenimore Cooper', year: 1826 },
  { title: 'Le Père Goriot', author: 'Honoré de Balzac', year: 1835 },
  { title: 'Oliver Twist', author: 'Charles Dickens', year: 1838 },
  { title: 'The Count of Monte Cristo', author: 'Alexandre Dumas', year: 1844 },
  { title: 'Jane Eyre', author: 'Charlotte Brontë', year: 1847 },
  { title: 'Wuthering Heights', author: 'Emily Brontë', year: 1847 },
  { title: 'The Scarlet Letter', author: 'Nathaniel Hawthorne', year: 1850 },
  { title: 'Moby-Dick', author: 'Herman Melville', year: 1851 },
  { title: 'Madame Bovary', author: 'Gustave Flaubert', year: 1857 },
  { title: 'Great Expectations', author: 'Charles Dickens', year: 1861 },
  { title: 'Les Misérables', author: 'Victor Hugo', year: 1862 },
  { title: "Alice's Adventures in Wonderland", author: 'Lewis Carroll', year: 1865 },
  { title: 'Crime and Punishment', author: 'Fyodor Dostoevsky', year: 1866 },
  { title: 'War and Peace', author: 'Leo Tolstoy', year: 1869 },
  { title: 'Middlemarch', author: 'George Eliot', year: 1871 },
  { title: 'Anna Karenina', author: 'Leo Tolstoy', year: 1878 },
  { title: 'Treasure Island', author: 'Robert Louis Stevenson', year: 1883 },
  { title: 'Adventures of Huckleberry Finn', author: 'Mark Twain', year: 1884 },
  { title: 'The Picture of Dorian Gray', author: 'Oscar Wilde', year: 1890 },
  { title: 'The Time Machine', author: 'H. G. Wells', year: 1895 },
  { title: 'Dracula', author: 'Bram Stoker', year: 1897 },
  { title: 'Heart of Darkness', author: 'Joseph Conrad', year: 1899 },
  { title: 'The Hound of the Baskervilles', author: 'Arthur Conan Doyle', year: 1902 },
  { title: 'The Wind in the Willows', author: 'Kenneth Grahame', year: 1908 },
];
