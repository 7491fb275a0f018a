<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>蜀游卡盟 - 游戏点卡批发|Q币充值|代理加盟</title>
<style type="text/css">
body{margin:0;font-size:12px;background:#eef3f8;font-family:宋体,SimSun,serif}
table{border-collapse:collapse} td{font-size:12px;line-height:22px}
.top{background:#0b5aa2;color:#fff} .top a{color:#fff;text-decoration:none;margin:0 8px}
.box{border:1px solid #9cc1e4;background:#fff} .tit{background:#dbe9f7;font-weight:bold;color:#0b5aa2;padding-left:8px}
.red{color:#f00} .foot{color:#555;line-height:24px}
</style></head>
<body>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="70"><img src="/images/logo.gif" alt="蜀游卡盟" width="260" height="60" align="absmiddle"> <font color="#0b5aa2" size="4"><b>蜀游卡盟</b></font> <font color="#888">十年老店 · 诚信经营</font></td>
<td align="right"><font color="#f60">客服热线：028-85562317</font><br>值班QQ：1873362091 &nbsp; 2215806347</td></tr>
<tr class="top"><td colspan="2" height="32">
<a href="/">网站首页</a>|<a href="/product.asp">商品列表</a>|<a href="/member/index.asp">会员中心</a>|<a href="/help.asp">帮助中心</a>|<a href="/news_12.asp">网站公告</a>|<a href="/about.asp">关于我们</a>|<a href="/reg.asp">免费注册</a>
</td></tr></table>

<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" style="margin-top:8px"><tr valign="top">
<td width="240">
<table width="234" class="box" cellpadding="4"><tr><td class="tit">会员登录</td></tr>
<tr><td><form action="/member/login.asp" method="post">用户名：<input name="username" size="14"><br>密&nbsp;&nbsp;码：<input type="password" name="pwd" size="14"><br>验证码：<input name="code" size="5"> <img src="/code.asp" width="50" height="18"><br><input type="submit" value="登 录"> <a href="/reg.asp">免费注册</a> <a href="/member/getpwd.asp">找回密码</a></form></td></tr></table>
<table width="234" class="box" cellpadding="4" style="margin-top:8px"><tr><td class="tit">网站公告</td></tr>
<tr><td>· <a href="/news_12.asp">关于《青云仙途》停运的说明</a><br>· <a href="/help_show_3.asp">购卡须知及退换规则（必读）</a><br>· <a href="/help.asp#daili">2025年代理价格调整通知</a><br>· <a href="/help.asp">新手购卡流程图解</a></td></tr></table>
<table width="234" class="box" cellpadding="4" style="margin-top:8px"><tr><td class="tit">在线客服</td></tr>
<tr><td>售前QQ：1873362091<br>售后QQ：2215806347<br>代理咨询：028-85562317<br>服务时间：8:30 - 23:30</td></tr></table>
</td>
<td width="740">
<table width="740" class="box" cellpadding="3"><tr><td class="tit" colspan="5">热销点卡（会员价，注册即可享受） 最后更新：2025-06-12</td></tr>
<tr bgcolor="#dbe9f7" align="center"><td>商品名称</td><td>类型</td><td>会员价</td><td>代理价</td><td>操作</td></tr>
<tr bgcolor="#f5f9fd"><td>&nbsp;骏网一卡通 100元</td><td align="center">秒充</td><td align="center"><font class="red">97.20</font></td><td align="center">95.74</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#ffffff"><td>&nbsp;骏网一卡通 50元</td><td align="center">秒充</td><td align="center"><font class="red">48.65</font></td><td align="center">47.92</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#f5f9fd"><td>&nbsp;盛大一卡通 30元</td><td align="center">秒充</td><td align="center"><font class="red">28.90</font></td><td align="center">28.47</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#ffffff"><td>&nbsp;网易一卡通 100元</td><td align="center">秒充</td><td align="center"><font class="red">96.80</font></td><td align="center">95.35</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#f5f9fd"><td>&nbsp;完美一卡通 50元</td><td align="center">秒充</td><td align="center"><font class="red">48.20</font></td><td align="center">47.48</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#ffffff"><td>&nbsp;久游一卡通 30元</td><td align="center">秒充</td><td align="center"><font class="red">28.50</font></td><td align="center">28.07</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#f5f9fd"><td>&nbsp;天宏一卡通 50元</td><td align="center">秒充</td><td align="center"><font class="red">48.10</font></td><td align="center">47.38</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#ffffff"><td>&nbsp;QQ币 10个直充</td><td align="center">直充</td><td align="center"><font class="red">9.78</font></td><td align="center">9.63</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#f5f9fd"><td>&nbsp;QQ币 100个直充</td><td align="center">直充</td><td align="center"><font class="red">97.60</font></td><td align="center">96.14</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#ffffff"><td>&nbsp;搜狐一卡通 15元</td><td align="center">秒充</td><td align="center"><font class="red">14.45</font></td><td align="center">14.23</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#f5f9fd"><td>&nbsp;征途点卡 50元</td><td align="center">秒充</td><td align="center"><font class="red">48.30</font></td><td align="center">47.58</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#ffffff"><td>&nbsp;纵横一卡通 30元</td><td align="center">秒充</td><td align="center"><font class="red">28.70</font></td><td align="center">28.27</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#f5f9fd"><td>&nbsp;光宇一卡通 100元</td><td align="center">秒充</td><td align="center"><font class="red">96.90</font></td><td align="center">95.45</td><td align="center"><a href="/member/index.asp">购买</a></td></tr><tr bgcolor="#ffffff"><td>&nbsp;金山一卡通 15元</td><td align="center">秒充</td><td align="center"><font class="red">14.40</font></td><td align="center">14.18</td><td align="center"><a href="/member/index.asp">购买</a></td></tr>
</table>
<table width="740" class="box" cellpadding="6" style="margin-top:8px"><tr><td class="tit">购卡流程</td></tr>
<tr><td>1、注册会员并登录 → 2、在会员中心用支付宝或网银给账户充值 → 3、选择商品下单购买 → 4、在“已购卡密”中提取卡号密码 → 5、到游戏官网充值。<br>
已提取的卡密请尽快使用，会员中心“我的订单”可查看全部购买记录。批量采购请联系代理客服，月采购量满5万元可升级为金牌代理。</td></tr></table>
</td></tr></table><table width="980" border="0" align="center" cellpadding="6" cellspacing="0" class="box" style="margin-top:8px">
<tr><td align="center" class="foot">
<a href="/about.asp">关于我们</a> | <a href="/help.asp">帮助中心</a> | <a href="/help_show_3.asp">购卡须知</a> | <a href="/help.asp#daili">代理加盟</a> | <a href="/about.asp#lianxi">联系我们</a><br>
Copyright 2014-2025 蜀游卡盟 All Rights Reserved &nbsp; 客服热线：028-85562317<br>
备案号：蜀ICP备2022014583号-1 &nbsp;&nbsp; <img src="/images/ga.png" width="14" height="14" align="absmiddle"> 川公网安备 51010702043218号<br>
<font color="#999">温馨提示：本站不向未成年人提供服务，请合理安排游戏时间。</font>
</td></tr></table>
</body></html>
