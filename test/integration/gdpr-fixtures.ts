// The generated schema of the GDPR tests and its hand-written ground truth.

/** The generated schema: text keys, composite keys, an FK cycle, a self-reference, two paths. */
export const SHOP_SQL = `
CREATE DATABASE shop;
\\c shop
CREATE SCHEMA sales;
CREATE TABLE sales.product (sku text PRIMARY KEY, title text NOT NULL);
CREATE TABLE sales.account (
  handle text PRIMARY KEY, email text, full_name text,
  referred_by text REFERENCES sales.account (handle),
  home_seq int);
CREATE TABLE sales.address (
  account_handle text NOT NULL REFERENCES sales.account (handle), seq int NOT NULL,
  street text, PRIMARY KEY (account_handle, seq));
ALTER TABLE sales.account ADD CONSTRAINT account_home_fk FOREIGN KEY (handle, home_seq)
  REFERENCES sales.address (account_handle, seq) DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE sales.orders (
  order_no text PRIMARY KEY, account_handle text NOT NULL REFERENCES sales.account (handle),
  ship_handle text, ship_seq int, FOREIGN KEY (ship_handle, ship_seq) REFERENCES sales.address);
CREATE TABLE sales.order_item (
  order_no text REFERENCES sales.orders, line int, sku text REFERENCES sales.product,
  qty int, PRIMARY KEY (order_no, line));
CREATE TABLE sales.delivery_note (order_no text, line int, note text,
  FOREIGN KEY (order_no, line) REFERENCES sales.order_item);
CREATE INDEX ON sales.orders (account_handle);
CREATE INDEX ON sales.orders (ship_handle, ship_seq);
INSERT INTO sales.product SELECT 'sku-' || i, 'Product ' || i FROM generate_series(1, 50) i;
BEGIN;
INSERT INTO sales.account SELECT 'u' || i, 'u' || i || '@example.org', 'User ' || i,
  CASE WHEN i > 1 THEN 'u' || (i - 1) END, 1 FROM generate_series(1, 300) i;
INSERT INTO sales.account VALUES ('o''neil "x"', 'on@example.org', E'O''Neil,\\n "Sam"', 'u7', 1);
INSERT INTO sales.account VALUES ('friend', 'f@example.org', 'Friend', 'o''neil "x"', 1);
INSERT INTO sales.address SELECT handle, s, 'Street ' || s FROM sales.account, generate_series(1, 2) s;
COMMIT;
INSERT INTO sales.orders SELECT 'ord-' || a.handle || '-' || n, a.handle, a.handle, 1 + n % 2
  FROM sales.account a, generate_series(1, 3) n;
-- someone else's order shipped to the subject's second address: reached by the second path
INSERT INTO sales.orders VALUES ('gift-for-oneil', 'u3', 'o''neil "x"', 2);
INSERT INTO sales.order_item SELECT o.order_no, l, 'sku-' || (1 + l), l FROM sales.orders o, generate_series(1, 4) l;
INSERT INTO sales.delivery_note SELECT order_no, line, '=HYPERLINK("x")' FROM sales.order_item WHERE line = 2;
`;

export const SHOP_SUBJECT = 'o\'neil "x"';

/** Hand-written ground truth per table: the SQL a person would write for this schema. */
export const SHOP_TRUTH: Record<string, string> = {
  'sales.account': `SELECT * FROM sales.account WHERE handle = $1`,
  'sales.address': `SELECT * FROM sales.address WHERE account_handle = $1`,
  'sales.orders': `SELECT * FROM sales.orders WHERE account_handle = $1 OR ship_handle = $1`,
  'sales.order_item': `SELECT i.* FROM sales.order_item i JOIN sales.orders o USING (order_no) WHERE o.account_handle = $1 OR o.ship_handle = $1`,
  'sales.delivery_note': `SELECT d.* FROM sales.delivery_note d JOIN sales.orders o USING (order_no) WHERE o.account_handle = $1 OR o.ship_handle = $1`,
};
